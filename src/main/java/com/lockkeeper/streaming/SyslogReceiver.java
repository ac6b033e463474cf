package com.lockkeeper.streaming;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * RFC 5424 over TCP (RFC 6587 octet counting), optionally TLS with the host name checked. Plain
 * syslog over TCP has no acknowledgement: a batch counts as delivered once written and flushed. A
 * receiver that has closed the connection is noticed before the next batch (the connection is made
 * again), so only what a receiver drops while crashing can be lost.
 */
final class SyslogReceiver implements Receiver {

    private static final int TIMEOUT_MILLIS = 10_000;

    private final StreamingSettings.Sink settings;
    private final String property;
    private Socket socket;

    SyslogReceiver(StreamingSettings.Sink settings, String property) {
        this.settings = settings;
        this.property = property;
    }

    @Override
    public void send(List<StreamedMessage> batch) throws IOException {
        Socket connection = connection();
        OutputStream out = connection.getOutputStream();
        try {
            for (StreamedMessage message : batch) {
                out.write(SyslogFormat.frame(message, settings.facility()));
            }
            out.flush();
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    private Socket connection() throws IOException {
        if (socket != null && !peerClosed(socket)) {
            return socket;
        }
        close();
        Socket plain = new Socket();
        try {
            plain.connect(new InetSocketAddress(settings.host(), settings.port()), TIMEOUT_MILLIS);
            plain.setSoTimeout(TIMEOUT_MILLIS);
            plain.setKeepAlive(true);
            if (settings.usesTls()) {
                SSLSocket tls = (SSLSocket) TrustedCa.context(settings.tlsCaFile(), property + ".tls-ca-file").getSocketFactory()
                        .createSocket(plain, settings.host(), settings.port(), true);
                SSLParameters parameters = tls.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the host
                tls.setSSLParameters(parameters);
                tls.startHandshake();
                socket = tls;
            } else {
                socket = plain;
            }
            return socket;
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    /** A syslog receiver never writes: anything readable, or the end of the stream, means it has gone. */
    private static boolean peerClosed(Socket socket) {
        if (socket.isClosed() || socket.isInputShutdown()) {
            return true;
        }
        if (socket instanceof SSLSocket) {
            return false; // a read would wait for a whole TLS record; a broken connection fails at the write instead
        }
        try {
            int timeout = socket.getSoTimeout();
            socket.setSoTimeout(1);
            try {
                InputStream in = socket.getInputStream();
                in.read(); // answers only at the end of the stream, or with data a receiver never sends: start again
                return true;
            } catch (SocketTimeoutException stillOpen) {
                return false;
            } finally {
                socket.setSoTimeout(timeout);
            }
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // gone already
            }
            socket = null;
        }
    }
}
