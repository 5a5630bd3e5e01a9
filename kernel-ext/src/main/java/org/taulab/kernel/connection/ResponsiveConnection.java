package org.taulab.kernel.connection;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import org.dflib.jjava.jupyter.channels.HeartbeatChannel;
import org.dflib.jjava.jupyter.channels.IOPubChannel;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.channels.JupyterSocket;
import org.dflib.jjava.jupyter.channels.ShellChannel;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.channels.StdinChannel;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.messages.HMACGenerator;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageContext;
import org.dflib.jjava.jupyter.messages.publish.PublishStatus;
import org.zeromq.ZMQ;

/**
 * jjava's connection with shell and control channels that block in their poll instead of sleeping
 * between polls, so a request is answered as soon as it arrives. Handlers are registered on it exactly
 * as on a {@link JupyterConnection} (the kernel's {@code becomeHandlerForConnection}).
 */
public final class ResponsiveConnection extends JupyterConnection {
    private static final long HEARTBEAT_SLEEP_MS = 100;

    private final KernelConnectionProperties props;
    private final ZMQ.Context context = ZMQ.context(1);
    private final HeartbeatChannel heartbeat;
    private final ShellChannel shellChannel;
    private final ShellChannel controlChannel;
    private final StdinChannel stdinChannel;
    private final IOPubChannel iopubChannel;
    private boolean connected;

    public ResponsiveConnection(KernelConnectionProperties props) throws NoSuchAlgorithmException, InvalidKeyException {
        super(props);
        this.props = props;
        HMACGenerator hmac = props.createHMACGenerator();
        heartbeat = new HeartbeatChannel(context, hmac, HEARTBEAT_SLEEP_MS);
        shellChannel = new BlockingShellChannel(context, hmac, false, this);
        controlChannel = new BlockingShellChannel(context, hmac, true, this);
        stdinChannel = new StdinChannel(context, hmac);
        iopubChannel = new IOPubChannel(context, hmac);
    }

    private List<JupyterSocket> sockets() {
        return List.of(heartbeat, shellChannel, controlChannel, stdinChannel, iopubChannel);
    }

    @Override
    public void connect() {
        if (!connected) {
            sockets().forEach(s -> s.bind(props));
            iopubChannel.sendMessage(new Message<>(null, PublishStatus.MESSAGE_TYPE, PublishStatus.STARTING));
            connected = true;
        }
    }

    @Override
    public IOPubChannel getIOPub() {
        return iopubChannel;
    }

    @Override
    public ShellReplyEnvironment prepareReplyEnv(ShellChannel shell, MessageContext context) {
        return new TrackingReplyEnvironment(shell, stdinChannel, iopubChannel, context);
    }

    @Override
    public void close() {
        sockets().forEach(JupyterSocket::close);
        context.close();
        super.close();
    }

    @Override
    public void waitUntilClose() {
        sockets().forEach(JupyterSocket::waitUntilClose);
    }
}
