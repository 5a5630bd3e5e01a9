package org.taulab.kernel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dflib.jjava.jupyter.kernel.HelpLink;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.history.HistoryEntry;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageContext;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.reply.KernelInfoReply;

/** Replies that jjava 1.0-a6 sends without the {@code status} field the message schema requires. */
final class Replies {
    private Replies() {
    }

    static final class KernelInfo extends KernelInfoReply {
        @SuppressWarnings("unused")
        private final String status = "ok";

        KernelInfo(String protocol, String name, String version, LanguageInfo language, String banner, List<HelpLink> links) {
            super(protocol, name, version, language, banner, links);
        }
    }

    /**
     * A history_reply: jjava serializes its history entries as objects, but the protocol wants
     * {@code [session, line, input]} (or {@code [session, line, [input, output]]}) tuples.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static Message history(MessageContext context, List<HistoryEntry> entries) {
        List<List<Object>> rows = new ArrayList<>();
        for (HistoryEntry e : entries) {
            Object io = e.hasOutput() ? List.of(e.getInput(), e.getOutput()) : e.getInput();
            rows.add(List.of(e.getSession(), e.getCellNumber(), io));
        }
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("status", "ok");
        content.put("history", rows);
        return new Message(context, MessageType.HISTORY_REPLY, content);
    }

    /** An execute_reply that opens the pager with {@code text} (what {@code name?} asks for). */
    static final class ExecuteWithPager extends org.dflib.jjava.jupyter.messages.reply.ExecuteReply {
        @SuppressWarnings("unused")
        private final List<Map<String, Object>> payload;

        ExecuteWithPager(int count, String text) {
            super(count, Map.of());
            payload = List.of(Map.of("source", "page", "data", Map.of("text/plain", text), "start", 0));
        }
    }
}
