package com.lockkeeper.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.SocketFactory;

/**
 * Sockets with a read time-out from the start. The LDAP SDK sets its response time-out per
 * request, but the TLS handshake of an ldaps connection runs before any request: against a port
 * that accepts the connection and never answers TLS (an ldaps URL on a web server's port, a
 * firewall that swallows the traffic) it would wait forever.
 */
final class ReadTimeoutSockets extends SocketFactory {

    private final SocketFactory sockets;
    private final int timeoutMillis;

    ReadTimeoutSockets(SocketFactory sockets, int timeoutMillis) {
        this.sockets = sockets;
        this.timeoutMillis = timeoutMillis;
    }

    private Socket timed(Socket socket) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        return socket;
    }

    @Override
    public Socket createSocket() throws IOException {
        return timed(sockets.createSocket());
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return timed(sockets.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return timed(sockets.createSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return timed(sockets.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return timed(sockets.createSocket(address, port, localAddress, localPort));
    }
}
