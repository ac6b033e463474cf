package com.lockkeeper.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import com.lockkeeper.bitlocker.RecoveryPassword;
import com.lockkeeper.bitlocker.VolumeId;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.mock.web.MockHttpServletRequest;

class JsonBodiesTest {

    /** A value that must never come back in an error. */
    static final String SECRET = "171743-460625-147972-321926-606430-707773-635965-345928";

    record Volume(String volumeId, Integer eventId, Long recordId) {
    }

    record Report(String computer, List<Volume> volumes, List<String> users) {
    }

    @Test
    void aWellFormedBodyBindsWithNothingToName() {
        JsonBody<Report> body = JsonBodies.read(bytes("""
                {"computer": "PC-1", "volumes": [{"volumeId": "a", "eventId": 24652, "recordId": 4294967296}], "users": ["bob"]}"""),
                Report.class);

        assertThat(body.valid()).isEqualTo(new Report("PC-1", List.of(new Volume("a", 24652, 4294967296L)), List.of("bob")));
    }

    @Test
    void unknownFieldsAreNamedAtEveryDepthWithTheFieldsThereAre() {
        List<FieldError> errors = errors("""
                {"computer": "PC-1", "colour": "red", "volumes": [{"volumeId": "a"}, {"volumeId": "b", "tint": {"x": [1]}}]}""");

        assertThat(errors).extracting(FieldError::field).containsExactlyInAnyOrder("colour", "volumes[1].tint");
        assertThat(errors).filteredOn(e -> e.field().equals("colour")).singleElement()
                .extracting(FieldError::reason).isEqualTo("unknown field; the fields are computer, users, volumes");
        assertThat(errors).filteredOn(e -> e.field().equals("volumes[1].tint")).singleElement()
                .extracting(FieldError::reason).isEqualTo("unknown field; the fields are eventId, recordId, volumeId");
    }

    record Empty() {
    }

    /** A record without components is bound field by field, not through its constructor: its unknown fields too. */
    @Test
    void anUnknownFieldOfARecordWithoutFieldsIsNamed() {
        InvalidRequestException thrown = catchThrowableOfType(InvalidRequestException.class,
                () -> JsonBodies.read(bytes("{\"colour\": {\"r\": 1}, \"size\": 2}"), Empty.class).valid());

        assertThat(thrown.errors()).extracting(FieldError::field).containsExactly("colour", "size");
    }

    @Test
    void everyValueOfTheWrongJsonTypeIsNamedAndNothingIsCoerced() {
        List<FieldError> errors = errors("""
                {"computer": 7, "users": "bob", "volumes": [
                  {"volumeId": {"a": 1}, "eventId": "24652", "recordId": 1.5},
                  {"volumeId": true, "eventId": 9999999999},
                  "not an object", [1], null,
                  {"volumeId": ["a"], "eventId": 1.0}]}""");

        assertThat(errors).extracting(FieldError::field, FieldError::reason).containsExactlyInAnyOrder(
                tuple("computer", "must be a string"),
                tuple("users", "must be an array"),
                tuple("volumes[0].volumeId", "must be a string"),
                tuple("volumes[0].eventId", "must be a whole number"),
                tuple("volumes[0].recordId", "must be a whole number"),
                tuple("volumes[1].volumeId", "must be a string"),
                tuple("volumes[1].eventId", "must be a whole number"),
                tuple("volumes[2]", "must be an object"),
                tuple("volumes[3]", "must be an object"),
                tuple("volumes[5].volumeId", "must be a string"),
                tuple("volumes[5].eventId", "must be a whole number"));
    }

    @Test
    void nestedValuesAreCheckedUnderTheirPathTogetherWithWhatBindingFound() {
        JsonBody<Report> body = JsonBodies.read(bytes("""
                {"computer": 1, "extra": 2, "volumes": [{"volumeId": "%s"}, {"volumeId": "not-a-guid"}, {"volumeId": 5}]}"""
                .formatted(java.util.UUID.randomUUID())), Report.class);
        FieldChecks checks = body.checks();

        checks.required("computer", body.value().computer(), text -> text);
        List<VolumeId> ids = checks.objects("volumes", checks.array("volumes", body.value().volumes(), 8), "must be an object",
                (volume, at) -> at.required("volumeId", volume.volumeId(), VolumeId::parse));
        InvalidRequestException thrown = catchThrowableOfType(InvalidRequestException.class, checks::throwIfAny);

        assertThat(ids).hasSize(1);
        assertThat(thrown.errors()).extracting(FieldError::field)
                .containsExactlyInAnyOrder("computer", "extra", "volumes[2].volumeId", "volumes[1].volumeId");
    }

    @Test
    void aRecoveryPasswordErrorKeepsItsBlockAndNeverTheInput() {
        String wrongBlock3 = SECRET.replace("147972", "147973");
        FieldChecks checks = new FieldChecks();

        assertThat(checks.at("keys[1]").required("recoveryPassword", wrongBlock3, RecoveryPassword::parse)).isNull();

        FieldError error = catchThrowableOfType(InvalidRequestException.class, checks::throwIfAny).errors().get(0);
        assertThat(error.field()).isEqualTo("keys[1].recoveryPassword");
        assertThat(error.block()).isEqualTo(3);
        assertThat(error.reason()).doesNotContain("147973").doesNotContain("171743");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"computer\": {\"nested\": \"" + SECRET + "\"}}",
            "{\"computer\": [\"" + SECRET + "\"]}",
            "{\"users\": \"" + SECRET + "\"}",
            "{\"volumes\": [\"" + SECRET + "\"]}",
            "{\"volumes\": [{\"eventId\": \"" + SECRET + "\"}]}",
            "{\"typo\": \"" + SECRET + "\"}",
            "{\"computer\": \"" + SECRET + "\", \"computer\": \"" + SECRET + "\"}",
            "{\"computer\": \"" + SECRET + "\" \"users\": []}",
            "{\"computer\": \"" + SECRET + "\"} \"" + SECRET + "\"",
            "{\"computer\": \"" + SECRET + "",
            "[\"" + SECRET + "\"]",
    })
    void noErrorRepeatsAValueOfTheBody(String body) {
        InvalidRequestException thrown = catchThrowableOfType(InvalidRequestException.class,
                () -> JsonBodies.read(bytes(body), Report.class).valid());

        assertThat(thrown.errors()).isNotEmpty();
        String everything = thrown.getMessage() + thrown.errors();
        for (String block : SECRET.split("-")) {
            assertThat(everything).doesNotContain(block);
        }
    }

    @Test
    void aFieldTwiceIsRefusedAsAWhole() {
        assertThat(bodyError("{\"computer\": \"A\",\n \"computer\": \"B\"}"))
                .startsWith("the body cannot be read: a field appears twice (line 2, column");
    }

    @Test
    void malformedJsonIsRefusedWithWhereItBreaks() {
        assertThat(bodyError("{\"computer\": ")).startsWith("the body cannot be read: it is not valid JSON (line 1, column");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1, 2, 3]", "\"PC-1\"", "42", "null", "{} {}", " "})
    void aBodyThatIsNotOneJsonObjectIsRefused(String body) {
        assertThat(bodyError(body)).startsWith("the body must be");
    }

    @Test
    void anEmptyBodyIsRefusedWithTheFieldsToSend() {
        assertThat(bodyError("")).isEqualTo("the body is empty; send a JSON object with computer, users, volumes");
    }

    @Test
    void aRequestMustBeJsonAndWithinItsLimit() throws Exception {
        MockHttpServletRequest text = new MockHttpServletRequest("POST", "/api/v1/checkin");
        text.setContentType("text/plain");
        text.setContent(bytes("{}"));
        assertThatThrownBy(() -> JsonBodies.read(text, 1024, Report.class)).isInstanceOf(InvalidRequestException.class)
                .hasMessage("send the body as application/json");

        MockHttpServletRequest large = new MockHttpServletRequest("POST", "/api/v1/checkin");
        large.setContentType("application/json; charset=utf-8");
        large.setContent(bytes("{\"computer\": \"" + "x".repeat(2000) + "\"}"));
        assertThatThrownBy(() -> JsonBodies.read(large, 1024, Report.class)).isInstanceOf(PayloadTooLargeException.class);

        MockHttpServletRequest fine = new MockHttpServletRequest("POST", "/api/v1/checkin");
        fine.setContentType("application/json");
        fine.setContent(bytes("{\"computer\": \"PC-1\"}"));
        assertThat(JsonBodies.read(fine, 1024, Report.class).valid().computer()).isEqualTo("PC-1");
    }

    /** The reason of the one error, which is about the body as a whole (no field). */
    private static String bodyError(String body) {
        FieldError error = errors(body).get(0);
        assertThat(errors(body)).hasSize(1);
        assertThat(error.field()).isNull();
        return error.reason();
    }

    private static List<FieldError> errors(String body) {
        return catchThrowableOfType(InvalidRequestException.class, () -> JsonBodies.read(bytes(body), Report.class).valid())
                .errors();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
