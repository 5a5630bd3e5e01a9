package org.taulab.kernel.connection;

import org.dflib.jjava.jupyter.channels.JupyterSocket;
import org.dflib.jjava.jupyter.channels.ShellChannel;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.channels.StdinChannel;
import org.dflib.jjava.jupyter.messages.MessageContext;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.reply.ErrorReply;

/** jjava's reply environment (its constructor opened) that remembers whether the request was answered with an error. */
final class TrackingReplyEnvironment extends ShellReplyEnvironment {
    private boolean repliedWithError;

    TrackingReplyEnvironment(ShellChannel shell, StdinChannel stdin, JupyterSocket iopub, MessageContext context) {
        super(shell, stdin, iopub, context);
    }

    @Override
    public void replyError(MessageType<?> type, ErrorReply error) {
        repliedWithError = true;
        super.replyError(type, error);
    }

    boolean repliedWithError() {
        return repliedWithError;
    }
}
