package com.lockkeeper.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import com.lockkeeper.bitlocker.ProtectorId;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class FieldChecksTest {

    static final String ID = "{4D3C2B1A-8F7E-4A6B-9C0D-112233445566}";

    @Test
    void aFieldTheReaderNamedIsNotNamedAgain() {
        FieldChecks checks = new FieldChecks(List.of(FieldError.of("computer", "must be a string")));

        assertThat(checks.<String>required("computer", null, String::strip)).isNull();
        checks.reject("computer", "is not known");

        assertThat(errors(checks)).extracting(FieldError::field, FieldError::reason)
                .containsExactly(tuple("computer", "must be a string"));
    }

    @Test
    void anAbsentRequiredValueOrArrayIsNamedAndAnAbsentOptionalOneIsNot() {
        FieldChecks checks = new FieldChecks();

        assertThat(checks.<String>optional("driveLabel", null, String::strip)).isNull();
        assertThat(checks.array("users", null, 4)).isEmpty();
        assertThat(checks.requiredArray("volumes", null, 4, "volumes")).isEmpty();
        assertThat(checks.<String>required("computer", null, String::strip)).isNull();

        assertThat(errors(checks)).extracting(FieldError::field, FieldError::reason).containsExactly(
                tuple("volumes", "is required: an array of volumes"), tuple("computer", "is required"));
    }

    @Test
    void anArrayOverItsLimitIsNamedOnceAndItsElementsAreNotChecked() {
        FieldChecks checks = new FieldChecks();

        List<ProtectorId> ids = checks.strings("ids", checks.array("ids", List.of("x", "y", "z"), 2), ProtectorId::parse);

        assertThat(ids).isEmpty();
        assertThat(errors(checks)).extracting(FieldError::field, FieldError::reason)
                .containsExactly(tuple("ids", "has more than 2 elements"));
    }

    @Test
    void eachWrongStringOfAnArrayIsNamedByItsIndexAndTheRightOnesAreKept() {
        FieldChecks checks = new FieldChecks().at("volumes[2]");

        List<ProtectorId> ids = checks.strings("ids", Arrays.asList(ID, "not-a-guid", null), ProtectorId::parse);

        assertThat(ids).containsExactly(ProtectorId.parse(ID));
        assertThat(errors(checks)).extracting(FieldError::field).containsExactly("volumes[2].ids[1]", "volumes[2].ids[2]");
        assertThat(errors(checks).get(1).reason()).isEqualTo("must be a string");
    }

    @Test
    void eachObjectOfAnArrayIsCheckedUnderItsOwnPathAndANullIsNamed() {
        FieldChecks checks = new FieldChecks();

        List<ProtectorId> checked = checks.objects("keys", Arrays.asList("not-a-guid", null, ID), "must be an object",
                (id, at) -> at.required("id", id, ProtectorId::parse));

        assertThat(checked).containsExactly(ProtectorId.parse(ID));
        assertThat(errors(checks)).extracting(FieldError::field, FieldError::reason).containsExactly(
                tuple("keys[0].id", errors(checks).get(0).reason()), tuple("keys[1]", "must be an object"));
    }

    @Test
    void nothingWrongThrowsNothing() {
        FieldChecks checks = new FieldChecks();

        assertThat(checks.required("id", ID, ProtectorId::parse)).isEqualTo(ProtectorId.parse(ID));
        checks.throwIfAny();
    }

    private static List<FieldError> errors(FieldChecks checks) {
        return catchThrowableOfType(InvalidRequestException.class, checks::throwIfAny).errors();
    }
}
