package org.pacs.storage.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** No SQL in this module is assembled from pieces: every statement is fixed text with bound parameters. */
class SqlConcatenationScanTest {

    private static final Path MAIN = Path.of("src/main/java/org/pacs/storage/security");

    @Test
    void mainSourcesBuildNoSql() throws IOException {
        List<String> findings = new ArrayList<>();
        int files = 0;
        int prepared = 0;
        try (Stream<Path> paths = Files.walk(MAIN)) {
            for (Path file : paths.filter(p -> p.toString().endsWith(".java")).toList()) {
                String source = Files.readString(file, StandardCharsets.UTF_8);
                findings.addAll(SqlSourceScanner.scan(file.getFileName().toString(), source));
                prepared += source.split("prepareStatement\\(", -1).length - 1;
                files++;
            }
        }
        assertThat(files).as("scanned the module's sources").isGreaterThanOrEqualTo(15);
        assertThat(prepared).as("found the SQL to check").isGreaterThanOrEqualTo(15);
        assertThat(findings).isEmpty();
    }

    /** The scanner must catch each of these, or the test above proves nothing. */
    @ParameterizedTest
    @ValueSource(strings = {
        "ps = c.prepareStatement(\"SELECT * FROM users WHERE id = '\" + id + \"'\");",
        "ps = c.prepareStatement(\"DELETE FROM users WHERE id = \" + id);",
        "String q = String.format(\"DELETE FROM users WHERE id = '%s'\", id);",
        "String q = \"UPDATE users SET active = %d\".formatted(flag);",
        "String sql = base; sql += tail;",
        "String q = prefix + \"WHERE id = 1\";",
        "rs = st.executeQuery(\"SELECT 1\");",
        "st.execute(text);",
        "Statement st = c.createStatement();",
        "sb = new StringBuilder(\"UPDATE users SET \").append(column);",
        "q = \"\"\"\n    SELECT * FROM users\n    WHERE id = '\"\"\" + id + \"'\";",
        "q = \"select * from users where name = '\" + name + \"'\";",
        "q = \"INSERT INTO t VALUES (\" + String.join(\",\", values) + \")\";",
    })
    void scannerCatchesBuiltSql(String snippet) {
        assertThat(SqlSourceScanner.scan("Snippet.java", snippet)).isNotEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "ps = c.prepareStatement(\"SELECT id FROM users WHERE id = ?\"); ps.setString(1, id);",
        "ps = c.prepareStatement(\"SELECT a \" + \"FROM b WHERE c = ?\");",
        "// ps = c.prepareStatement(\"SELECT \" + x);\n/* \"DELETE FROM \" + y */ int a = 1;",
        "throw new IllegalStateException(\"Cannot create the directory \" + dir + \"; delete it first\");",
        "rs = ps.executeQuery(); ps.executeUpdate(); ps.addBatch();",
        "char q = '\"'; String s = \"it's \" + name;",
    })
    void scannerLeavesSafeCodeAlone(String snippet) {
        assertThat(SqlSourceScanner.scan("Snippet.java", snippet)).isEmpty();
    }

    @Test
    void findingsNameFileAndLine() {
        assertThat(SqlSourceScanner.scan("Bad.java", "class Bad {\n\n  String q = \"SELECT 1 WHERE x = \" + x;\n}"))
                .containsExactly("Bad.java:3: SQL text concatenated with a non-constant value");
    }
}
