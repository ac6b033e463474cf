package com.lockkeeper.streaming;

import java.io.IOException;
import java.util.List;

/** A SIEM's receiver: takes a batch whole, or throws and the batch is sent again later. */
interface Receiver extends AutoCloseable {

    void send(List<StreamedMessage> batch) throws IOException;

    /** Drops the connection, if any: the next send makes a new one. */
    @Override
    void close();
}
