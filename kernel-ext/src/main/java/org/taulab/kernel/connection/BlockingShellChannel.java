package org.taulab.kernel.connection;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.channels.Loop;
import org.dflib.jjava.jupyter.channels.ShellChannel;
import org.dflib.jjava.jupyter.channels.ShellHandler;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.messages.HMACGenerator;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.request.ExecuteRequest;
import org.zeromq.ZMQ;

/**
 * A shell (or control) channel that waits for requests in a blocking poll. jjava's own channel polls
 * without waiting and then sleeps 50 ms, which adds up to 50 ms to every request's round trip. It also
 * honours an execute request's {@code stop_on_error}, which jjava ignores, and it survives any frame: a
 * malformed, unsigned or wrongly signed message is dropped with one logged line (see {@link WireMessage}),
 * and nothing a request does can end the channel's thread.
 */
final class BlockingShellChannel extends ShellChannel {
    private static final int POLL_TIMEOUT_MS = 100;
    /** The kernel's own stderr (the Jupyter server's log), taken before any cell can redirect System.err. */
    private static final PrintStream LOG = System.err;

    private final boolean control;
    private final JupyterConnection connection;
    private volatile Loop loop;

    BlockingShellChannel(ZMQ.Context context, HMACGenerator hmac, boolean control, JupyterConnection connection) {
        super(context, hmac, control, connection, 0);
        this.control = control;
        this.connection = connection;
    }

    @Override
    public void bind(KernelConnectionProperties props) {
        int port = control ? props.getControlPort() : props.getShellPort();
        super.bind(formatAddress(props.getTransport(), props.getIp(), port));
        ZMQ.Poller poller = ctx.poller(1);
        poller.register(this, ZMQ.Poller.POLLIN);
        loop = new Loop(control ? "taulab-control" : "taulab-shell", 0, () -> {
            if (poller.poll(POLL_TIMEOUT_MS) <= 0) {
                return;
            }
            try {
                Message<?> message = readMessage();
                if (message != null) {
                    dispatch(message, poller);
                }
            } catch (RuntimeException e) {
                LOG.println("taulab kernel: " + name() + " channel: a request failed (" + e + ")");
            }
        });
        loop.setDaemon(!control);
        loop.start();
    }

    /** The next whole multipart message, or null when it was malformed (logged and dropped) or the socket is closed. */
    @Override
    public synchronized Message<?> readMessage() {
        if (closed) {
            return null;
        }
        List<byte[]> frames = new ArrayList<>();
        do {
            byte[] frame = recv();
            if (frame == null) {
                break;
            }
            frames.add(frame);
        } while (hasReceiveMore());
        try {
            return WireMessage.decode(frames, hmacGenerator);
        } catch (WireMessage.Malformed e) {
            LOG.println("taulab kernel: " + name() + " channel: dropped a message: " + e.getMessage());
            return null;
        }
    }

    /**
     * Handles one request. When an execute request fails and asks {@code stop_on_error}, the execute requests
     * already waiting on the socket are answered {@code aborted}, as ipykernel does ("Run all" stops at the
     * first failing cell). They are collected before the failing cell's reply goes out, so a request the client
     * sends after seeing that reply always runs. Returns false once the kernel is shutting down.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private boolean dispatch(Message<?> message, ZMQ.Poller poller) {
        ShellHandler handler = connection.getHandler(message.getHeader().getType());
        if (handler == null) {
            logger.warn("Unhandled message: {}", message.getHeader().getType().getName());
            return true;
        }
        ShellReplyEnvironment env = connection.prepareReplyEnv(this, message);
        List<Message<?>> waiting = List.of();
        try {
            handler.handle(env, message);
        } catch (Exception e) {
            logger.warn("Error handling {}: {}", message.getHeader().getType().getName(), e.toString());
        } finally {
            if (stopsOnError(message, env)) {
                waiting = waitingMessages(poller);
            }
            env.resolveDeferrals();
        }
        if (env.isMarkedForShutdown()) {
            connection.close();
            return false;
        }
        for (Message<?> next : waiting) {
            if (next.getHeader().getType() == MessageType.EXECUTE_REQUEST) {
                abort(next);
            } else if (!dispatch(next, poller)) {
                return false;
            }
        }
        return true;
    }

    private String name() {
        return control ? "control" : "shell";
    }

    private static boolean stopsOnError(Message<?> message, ShellReplyEnvironment env) {
        return message.getContent() instanceof ExecuteRequest request && request.shouldStopOnError() && !request.isSilent()
                && env instanceof TrackingReplyEnvironment tracking && tracking.repliedWithError();
    }

    private List<Message<?>> waitingMessages(ZMQ.Poller poller) {
        List<Message<?>> waiting = new ArrayList<>();
        while (poller.poll(0) > 0) {
            Message<?> next = readMessage();
            if (next == null) {
                break;
            }
            waiting.add(next);
        }
        return waiting;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void abort(Message<?> request) {
        ShellReplyEnvironment env = connection.prepareReplyEnv(this, request);
        env.setStatusBusy();
        env.reply(new Message(env.getContext(), MessageType.EXECUTE_REPLY, Map.of("status", "aborted")));
        env.setStatusIdle();
    }

    @Override
    public void close() {
        Loop l = loop;
        if (l != null) {
            l.shutdown();
        }
        super.close();
    }

    @Override
    public void waitUntilClose() {
        Loop l = loop;
        if (l != null && l != Thread.currentThread()) {
            try {
                l.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
