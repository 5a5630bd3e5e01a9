package org.taulab.kernel.magic;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.taulab.dsl.TauLabException;
import org.taulab.kernel.jshell.JavaSession;

/** {@code %load FILE}: runs a .jshell/.java file, or the code cells of a notebook, in this session. */
final class LoadMagic implements Magics.LineMagic {
    private final MagicHost host;

    LoadMagic(MagicHost host) {
        this.host = host;
    }

    @Override
    public Object run(String args) throws Exception {
        String name = args.strip();
        if (name.length() > 1 && (name.startsWith("\"") && name.endsWith("\"") || name.startsWith("'") && name.endsWith("'"))) {
            name = name.substring(1, name.length() - 1);
        }
        if (name.isEmpty()) {
            throw new TauLabException("%load needs a file: %load FILE.jshell | FILE.java | NOTEBOOK.ipynb");
        }
        Path file = Path.of(name);
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new TauLabException("%load: no such file " + file.toAbsolutePath());
        }
        if (!name.endsWith(".ipynb")) {
            return host.runCell(text);
        }
        Object value = JavaSession.NO_VALUE;
        JsonObject notebook = JsonParser.parseString(text).getAsJsonObject();
        for (JsonElement cell : notebook.getAsJsonArray("cells")) {
            JsonObject c = cell.getAsJsonObject();
            if ("code".equals(c.get("cell_type").getAsString())) {
                value = host.runCell(source(c.get("source")));
            }
        }
        return value;
    }

    private static String source(JsonElement source) {
        if (source.isJsonArray()) {
            StringBuilder b = new StringBuilder();
            for (JsonElement line : (JsonArray) source) {
                b.append(line.getAsString());
            }
            return b.toString();
        }
        return source.getAsString();
    }
}
