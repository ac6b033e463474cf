package com.lockkeeper.bitlocker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class RecoveryPasswordVectorsTest {

    /** Recovery passwords with their key bytes, other accepted spellings, and invalid ones with error and block. */
    static final String VECTORS = "/vectors/recovery-passwords.json";
    private static final Pattern DIGIT_RUN = Pattern.compile("[0-9]+");

    @TestFactory
    Stream<DynamicTest> validVectorsParseToTheirKeyAndCanonicalForm() {
        JsonNode valid = vectors("valid");
        return IntStream.range(0, valid.size()).mapToObj(i -> {
            JsonNode vector = valid.get(i);
            return dynamicTest("valid #" + (i + 1), () -> checkValid(vector));
        });
    }

    @TestFactory
    Stream<DynamicTest> invalidVectorsFailWithTheirErrorAndBlock() {
        JsonNode invalid = vectors("invalid");
        return IntStream.range(0, invalid.size()).mapToObj(i -> {
            JsonNode vector = invalid.get(i);
            String name = "invalid #" + (i + 1) + " (" + vector.get("error").asString()
                    + (vector.has("block") ? ", block " + vector.get("block").asInt() : "") + ")";
            return dynamicTest(name, () -> checkInvalid(vector));
        });
    }

    private static void checkValid(JsonNode vector) {
        String password = vector.get("password").asString();
        String keyHex = vector.get("keyHex").asString();
        String canonical = vector.has("canonical") ? vector.get("canonical").asString() : password;

        RecoveryPassword parsed = RecoveryPassword.parse(password);

        assertThat(HexFormat.of().formatHex(parsed.keyBytes())).isEqualTo(keyHex.toLowerCase(Locale.ROOT));
        assertThat(parsed.reveal()).isEqualTo(canonical);
        assertThat(RecoveryPassword.fromKeyBytes(HexFormat.of().parseHex(keyHex)).reveal()).isEqualTo(canonical);
    }

    private static void checkInvalid(JsonNode vector) {
        String password = vector.get("password").asString();
        RecoveryPasswordException.Error error =
                RecoveryPasswordException.Error.valueOf(vector.get("error").asString().toUpperCase(Locale.ROOT));

        assertThatThrownBy(() -> RecoveryPassword.parse(password))
                .isInstanceOfSatisfying(RecoveryPasswordException.class, e -> {
                    assertThat(e.error()).isEqualTo(error);
                    if (vector.has("block")) {
                        assertThat(e.block()).hasValue(vector.get("block").asInt());
                    } else {
                        assertThat(e.block()).isEmpty();
                    }
                    for (String group : sixDigitGroups(password)) {
                        assertThat(e.getMessage()).doesNotContain(group);
                    }
                });
    }

    /** Every run of 6 consecutive digits in the text, so a message cannot echo any part of it. */
    private static List<String> sixDigitGroups(String text) {
        List<String> groups = new ArrayList<>();
        Matcher run = DIGIT_RUN.matcher(text);
        while (run.find()) {
            for (int start = run.start(); start + 6 <= run.end(); start++) {
                groups.add(text.substring(start, start + 6));
            }
        }
        return groups;
    }

    private static JsonNode vectors(String kind) {
        try (InputStream in = RecoveryPasswordVectorsTest.class.getResourceAsStream(VECTORS)) {
            if (in == null) {
                fail("the recovery-password vectors are missing from the test classpath: " + VECTORS);
            }
            JsonNode list = JsonMapper.builder().build().readTree(in).path(kind);
            assertThat(list.isArray() && !list.isEmpty())
                    .as("the vectors file %s has a non-empty \"%s\" list", VECTORS, kind)
                    .isTrue();
            return list;
        } catch (IOException e) {
            throw new AssertionError("cannot read the recovery-password vectors at " + VECTORS, e);
        }
    }
}
