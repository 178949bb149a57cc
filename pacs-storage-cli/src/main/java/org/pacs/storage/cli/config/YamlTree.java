package org.pacs.storage.cli.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.pacs.storage.cli.UsageException;

/**
 * One configuration file read by Jackson's YAML parser into a tree, remembering the line of every key (a tree
 * node has no location, and every message must name file, line and key). While reading it replaces
 * {@code ${NAME}} references, and refuses what binding could not report at the right line: duplicate keys, keys
 * without a value, a top level that is not a mapping, a second document. Every scalar is kept as its text, so
 * its meaning (number, boolean, duration, size) is decided by the record field it lands in, not by YAML's
 * guess.
 */
final class YamlTree {

    private static final YAMLFactory YAML = new YAMLFactory();
    private static final Pattern ENV_REF = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private final String source;
    private final Map<String, String> env;
    private final Map<String, Integer> lines = new HashMap<>();
    private ObjectNode root;

    private YamlTree(String source, Map<String, String> env) {
        this.source = source;
        this.env = env;
    }

    /** {@code topLevelKeys} only words the message for a file that is not a mapping. */
    static YamlTree read(String text, String source, Map<String, String> env, String topLevelKeys) {
        YamlTree t = new YamlTree(source, env);
        try (JsonParser p = YAML.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                t.root = JsonNodeFactory.instance.objectNode();
                return t;
            }
            if (first != JsonToken.START_OBJECT) {
                throw new UsageException(source + ":" + line(p) + ": the top level must be a mapping of key: value"
                        + " with keys " + topLevelKeys + ".");
            }
            t.root = t.object(p, "");
            if (p.nextToken() != null) {
                throw new UsageException(source + ":" + line(p) + ": a second YAML document; the configuration is"
                        + " one document, so remove this '---' and what follows, or merge the two.");
            }
            return t;
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new UsageException(source + ":" + Math.max(line, 1) + ": not valid YAML ("
                    + e.getOriginalMessage().strip().replaceAll("\\s+", " ") + "); fix the syntax.", e);
        } catch (IOException e) {
            throw new UsageException(source + ": cannot be read (" + e.getMessage() + ").", e);
        }
    }

    ObjectNode root() {
        return root;
    }

    String source() {
        return source;
    }

    /** The 1-based line of {@code key} (dotted, e.g. {@code hsm.policy.hot-to-warm}), else of its nearest parent. */
    int line(String key) {
        for (String k = key; !k.isEmpty(); k = parent(k)) {
            Integer line = lines.get(k);
            if (line != null) {
                return line;
            }
        }
        return 1;
    }

    /** Whether the file itself wrote {@code key}. */
    boolean has(String key) {
        return lines.containsKey(key);
    }

    /** "file:line: key", the prefix of every message about a key. */
    String where(String key) {
        return source + ":" + line(key) + ": " + (key.isEmpty() ? "the top level" : key);
    }

    static String parent(String key) {
        if (key.endsWith("]")) {
            return key.substring(0, key.lastIndexOf('['));
        }
        int dot = key.lastIndexOf('.');
        return dot < 0 ? "" : key.substring(0, dot);
    }

    private ObjectNode object(JsonParser p, String path) throws IOException {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            String key = path.isEmpty() ? name : path + "." + name;
            int line = line(p);
            if (node.has(name)) {
                throw new UsageException(source + ":" + line + ": " + key + " is given twice; keep one.");
            }
            lines.put(key, line);
            p.nextToken();
            node.set(name, value(p, key));
        }
        return node;
    }

    private JsonNode value(JsonParser p, String key) throws IOException {
        JsonToken t = p.currentToken();
        if (p instanceof YAMLParser y && y.isCurrentAlias()) {
            // Jackson hands an alias over as its anchor's name, not as the aliased value: refuse, never misread.
            throw new UsageException(where(key) + ": YAML aliases (*" + p.getText() + ") are not supported in the"
                    + " configuration; write the value out.");
        }
        if (t == JsonToken.START_OBJECT) {
            return object(p, key);
        }
        if (t == JsonToken.START_ARRAY) {
            ArrayNode list = JsonNodeFactory.instance.arrayNode();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                list.add(value(p, key + "[" + list.size() + "]"));
            }
            return list;
        }
        if (t == JsonToken.VALUE_NULL) {
            throw new UsageException(where(key) + " has no value; give one or remove the key to use the default.");
        }
        return TextNode.valueOf(substitute(p.getText(), key));
    }

    private String substitute(String text, String key) {
        Matcher m = ENV_REF.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String value = env.get(m.group(1));
            if (value == null) {
                throw new UsageException(where(key) + ": environment variable " + m.group(1) + " is not set;"
                        + " export it, or write the value in the file.");
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(value));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static int line(JsonParser p) {
        return Math.max(p.currentTokenLocation().getLineNr(), 1);
    }
}
