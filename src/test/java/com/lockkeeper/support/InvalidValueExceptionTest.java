package com.lockkeeper.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InvalidValueExceptionTest {

    @Test
    void reasonIsTheMessage() {
        InvalidValueException e = new InvalidValueException("a GUID was expected");

        assertThat(e.reason()).isEqualTo("a GUID was expected").isEqualTo(e.getMessage());
        assertThat(e.block()).isEmpty();
    }

    @Test
    void carriesTheBlockItIsAbout() {
        InvalidValueException e = new InvalidValueException("block 3 has a character that is not a digit", 3);

        assertThat(e.block()).hasValue(3);
        assertThat(e).isInstanceOf(IllegalArgumentException.class);
    }
}
