package com.lockkeeper.activedirectory;

import com.lockkeeper.escrow.EscrowImport;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Escrows read on a thread of their own and handed over a page at a time, so that the directory is
 * read while the database writes the previous pages. A failure of the reading thread ends the
 * iteration with that failure; closing the pipe stops the reading thread.
 */
final class ItemPipe implements Iterator<EscrowImport.Item>, AutoCloseable {

    /** Reads escrows and hands them to the sink, a page at a time. */
    interface Reader {
        void read(Consumer<List<EscrowImport.Item>> sink) throws Exception;
    }

    private static final int PAGES_AHEAD = 4;
    private static final List<EscrowImport.Item> END = List.of();

    private final BlockingQueue<List<EscrowImport.Item>> queue = new ArrayBlockingQueue<>(PAGES_AHEAD);
    private final Thread thread;
    private volatile Throwable failure;
    private volatile boolean closed;
    private Iterator<EscrowImport.Item> current = Collections.emptyIterator();
    private boolean ended;

    ItemPipe(String threadName, Reader reader) {
        thread = new Thread(() -> {
            try {
                reader.read(this::put);
            } catch (Throwable e) {
                failure = e;
            } finally {
                handOver(END);
            }
        }, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    private void put(List<EscrowImport.Item> page) {
        if (!page.isEmpty() && !handOver(page)) {
            throw new CancellationException("the import stopped");
        }
    }

    private boolean handOver(List<EscrowImport.Item> page) {
        try {
            while (!closed) {
                if (queue.offer(page, 100, TimeUnit.MILLISECONDS)) {
                    return true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    @Override
    public boolean hasNext() {
        while (!current.hasNext()) {
            if (ended) {
                return false;
            }
            List<EscrowImport.Item> next;
            try {
                next = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading the directory", e);
            }
            if (next == END) {
                ended = true;
                if (failure != null) {
                    throw DirectoryException.of(failure);
                }
                return false;
            }
            current = next.iterator();
        }
        return true;
    }

    @Override
    public EscrowImport.Item next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return current.next();
    }

    /** Whether the reading thread ended without a failure; only meaningful once the iteration ended. */
    boolean completed() {
        return ended && failure == null;
    }

    @Override
    public void close() {
        closed = true;
        queue.clear();
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
