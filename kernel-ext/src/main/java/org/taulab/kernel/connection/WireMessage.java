package org.taulab.kernel.connection;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.lang.reflect.Field;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.dflib.jjava.jupyter.channels.JupyterSocket;
import org.dflib.jjava.jupyter.messages.HMACGenerator;
import org.dflib.jjava.jupyter.messages.Header;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.reply.ErrorReply;

/**
 * Decodes the frames of one multipart Jupyter message ({@code identities…, <IDS|MSG>, signature, header,
 * parent, metadata, content, buffers…}) without trusting them: a missing delimiter, too few frames, a wrong
 * signature or malformed JSON is a {@link Malformed} naming what is wrong, never a half-read socket.
 * jjava's own reader blocks for each frame it expects, so a short message makes it swallow the frames of
 * the next one, and its signature failure escapes as a {@code SecurityException} that ends the channel's
 * thread. JSON is decoded with jjava's own Gson (its adapters for headers and message types).
 */
final class WireMessage {
    private static final byte[] DELIMITER = "<IDS|MSG>".getBytes(StandardCharsets.US_ASCII);
    private static final Gson GSON = jjavaField("gson");
    private static final Type MAP = jjavaField("JSON_OBJ_AS_MAP");

    /** Why a message was dropped. */
    static final class Malformed extends Exception {
        Malformed(String why) {
            super(why, null, false, false);
        }
    }

    private WireMessage() {
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static Message<?> decode(List<byte[]> frames, HMACGenerator hmac) throws Malformed {
        int d = 0;
        while (d < frames.size() && !Arrays.equals(frames.get(d), DELIMITER)) {
            d++;
        }
        if (d == frames.size()) {
            throw new Malformed("no <IDS|MSG> delimiter among its " + frames.size() + " frames");
        }
        if (frames.size() - d - 1 < 5) {
            throw new Malformed("only " + (frames.size() - d - 1) + " frames after the delimiter (signature, header, parent, metadata and content needed)");
        }
        byte[] signature = frames.get(d + 1);
        byte[] header = frames.get(d + 2);
        byte[] parent = frames.get(d + 3);
        byte[] metadata = frames.get(d + 4);
        byte[] content = frames.get(d + 5);
        String expected = hmac.calculateSignature(header, parent, metadata, content);
        if (expected != null && !MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), signature)) {
            throw new Malformed(signature.length == 0 ? "no signature" : "invalid signature");
        }
        try {
            Header<?> h = GSON.fromJson(utf8(header), Header.class);
            if (h == null || h.getType() == null || h.getType().getContentType() == null) {
                throw new Malformed("header without a known msg_type");
            }
            JsonElement p = JsonParser.parseString(utf8(parent));
            Header<?> parentHeader = p.isJsonObject() && !p.getAsJsonObject().isEmpty() ? GSON.fromJson(p, Header.class) : null;
            Map<String, Object> meta = GSON.fromJson(utf8(metadata), MAP);
            Object body = GSON.fromJson(utf8(content), h.getType().getContentType());
            if (body == null) {
                throw new Malformed("no content");
            }
            if (body instanceof ErrorReply) {
                h = new Header(h.getId(), h.getUsername(), h.getSessionId(), h.getTimestamp(), h.getType().error(), h.getVersion());
            }
            List<byte[]> buffers = new ArrayList<>(frames.subList(d + 6, frames.size()));
            return new Message(new ArrayList<>(frames.subList(0, d)), h, parentHeader, meta, body, buffers);
        } catch (RuntimeException e) {
            throw new Malformed("unreadable JSON (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    private static <T> T jjavaField(String name) {
        try {
            Field f = JupyterSocket.class.getDeclaredField(name);
            f.setAccessible(true);
            return (T) f.get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("this jjava version has no JupyterSocket." + name + " (kernel-ext expects jjava 1.0-a6)", e);
        }
    }
}
