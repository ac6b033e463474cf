package com.lockkeeper.testing;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;

/**
 * A syslog receiver for tests: takes RFC 5424 messages over TCP framed by octet counting (RFC 6587),
 * parses each (header, structured data, message) and keeps them in arrival order. It can be stopped
 * (every connection dropped, the port closed) and started again on the same port, and can speak TLS.
 */
public final class SyslogTestReceiver implements AutoCloseable {

    /** One message as received. {@code sd} holds the parameters of the first structured data element. */
    public record Message(int priority, String timestamp, String host, String app, String procId, String msgId, String sdId,
            Map<String, String> sd, String msg) {
    }

    private final List<Message> messages = new CopyOnWriteArrayList<>();
    private final List<String> malformed = new CopyOnWriteArrayList<>();
    private final List<Socket> connections = new CopyOnWriteArrayList<>();
    private final SSLContext tls;
    private volatile ServerSocket server;
    private int port;

    private SyslogTestReceiver(SSLContext tls) {
        this.tls = tls;
    }

    public static SyslogTestReceiver start() {
        return start(null);
    }

    /** With {@code tls}, a TLS receiver presenting that context's key. */
    public static SyslogTestReceiver start(SSLContext tls) {
        SyslogTestReceiver receiver = new SyslogTestReceiver(tls);
        receiver.listen();
        return receiver;
    }

    public int port() {
        return port;
    }

    public List<Message> messages() {
        return List.copyOf(messages);
    }

    /** Frames that were not RFC 5424 with octet counting; a test expects none. */
    public List<String> malformed() {
        return List.copyOf(malformed);
    }

    /** Listens again on the port it had (a receiver back after an outage). */
    public synchronized void listen() {
        try {
            ServerSocket socket = tls == null ? new ServerSocket() : tls.getServerSocketFactory().createServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            port = socket.getLocalPort();
            server = socket;
            Thread accept = new Thread(() -> accept(socket), "syslog-test-receiver");
            accept.setDaemon(true);
            accept.start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Closes the port and every connection: the receiver is down. */
    public synchronized void stop() {
        try {
            if (server != null) {
                server.close();
            }
            for (Socket connection : connections) {
                connection.close();
            }
            connections.clear();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void accept(ServerSocket socket) {
        while (!socket.isClosed()) {
            try {
                Socket connection = socket.accept();
                connections.add(connection);
                Thread reader = new Thread(() -> read(connection), "syslog-test-connection");
                reader.setDaemon(true);
                reader.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void read(Socket connection) {
        try (InputStream in = new BufferedInputStream(connection.getInputStream())) {
            while (true) {
                StringBuilder length = new StringBuilder();
                int c;
                while ((c = in.read()) != ' ') {
                    if (c == -1) {
                        return;
                    }
                    if (c < '0' || c > '9' || length.length() > 8) {
                        malformed.add("bad frame length: " + length + (char) c);
                        return;
                    }
                    length.append((char) c);
                }
                byte[] frame = in.readNBytes(Integer.parseInt(length.toString()));
                if (frame.length < Integer.parseInt(length.toString())) {
                    malformed.add("frame cut short");
                    return;
                }
                parse(new String(frame, StandardCharsets.UTF_8));
            }
        } catch (IOException | RuntimeException e) {
            // the connection ended
        }
    }

    private void parse(String text) {
        try {
            int close = text.indexOf('>');
            int priority = Integer.parseInt(text.substring(1, close));
            String[] header = text.substring(close + 1).split(" ", 7);
            if (!header[0].equals("1")) {
                throw new IllegalArgumentException("version " + header[0]);
            }
            String rest = header[6];
            if (!rest.startsWith("[")) {
                throw new IllegalArgumentException("no structured data");
            }
            int at = 1;
            StringBuilder id = new StringBuilder();
            while (rest.charAt(at) != ' ' && rest.charAt(at) != ']') {
                id.append(rest.charAt(at++));
            }
            Map<String, String> params = new LinkedHashMap<>();
            while (rest.charAt(at) == ' ') {
                at++;
                int equals = rest.indexOf('=', at);
                String name = rest.substring(at, equals);
                at = equals + 2; // past ="
                StringBuilder value = new StringBuilder();
                while (rest.charAt(at) != '"') {
                    if (rest.charAt(at) == '\\') {
                        at++;
                    }
                    value.append(rest.charAt(at++));
                }
                params.put(name, value.toString());
                at++;
            }
            if (rest.charAt(at) != ']') {
                throw new IllegalArgumentException("structured data not closed");
            }
            String msg = rest.substring(at + 1);
            msg = msg.startsWith(" ") ? msg.substring(1) : msg;
            msg = msg.startsWith("\uFEFF") ? msg.substring(1) : msg;
            messages.add(new Message(priority, header[1], header[2], header[3], header[4], header[5], id.toString(), params, msg));
        } catch (RuntimeException e) {
            malformed.add(e + ": " + text);
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** The messages of one type ("audit" or "anchor"), grouped by lane, in arrival order. */
    public Map<String, List<Message>> byLane(String type) {
        Map<String, List<Message>> lanes = new LinkedHashMap<>();
        for (Message message : messages) {
            if (type.equals(message.sd().get("type"))) {
                lanes.computeIfAbsent(message.sd().get("lane"), lane -> new ArrayList<>()).add(message);
            }
        }
        return lanes;
    }
}
