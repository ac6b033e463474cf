package com.lockkeeper.testing;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * A real SMTP server (GreenMail) on a loopback port fixed for the test class, so the server under
 * test can be pointed at it before it starts, and the mail server stopped and started again on the
 * same port to play an outage.
 */
public final class Mailbox implements AutoCloseable {

    /** A received message: its recipients, subject and every text part, decoded. */
    public record Mail(List<String> to, String subject, String text) {
    }

    private final int port;
    private GreenMail server;

    public Mailbox() {
        try (ServerSocket socket = new ServerSocket(0)) {
            this.port = socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    public Mailbox start() {
        server = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        server.start();
        return this;
    }

    public void stop() {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** Every message received so far. */
    public List<Mail> all() {
        return Arrays.stream(server.getReceivedMessages()).map(Mailbox::read).toList();
    }

    /** Waits (at most {@code timeout}) for a message to {@code address} that matches, and answers the matching ones. */
    public List<Mail> to(String address, java.util.function.Predicate<Mail> matching, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Mail> found = to(address, 0, Duration.ZERO).stream().filter(matching).toList();
            if (!found.isEmpty() || System.nanoTime() > deadline) {
                return found;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return found;
            }
        }
    }

    /** Waits (at most {@code timeout}) for at least {@code count} messages to {@code address}, and answers them all. */
    public List<Mail> to(String address, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Mail> found = all().stream().filter(m -> m.to().stream().anyMatch(address::equalsIgnoreCase)).toList();
            if (found.size() >= count || System.nanoTime() > deadline) {
                return found;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return found;
            }
        }
    }

    private static Mail read(MimeMessage message) {
        try {
            List<String> to = Arrays.stream(message.getRecipients(Message.RecipientType.TO)).map(Object::toString).toList();
            return new Mail(to, message.getSubject(), text(message.getContent()));
        } catch (Exception e) {
            throw new IllegalStateException("unreadable message", e);
        }
    }

    private static String text(Object content) throws Exception {
        if (content instanceof String text) {
            return text;
        }
        if (content instanceof Multipart multipart) {
            StringBuilder all = new StringBuilder();
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart part = multipart.getBodyPart(i);
                all.append(text(part.getContent())).append('\n');
            }
            return all.toString();
        }
        return "";
    }
}
