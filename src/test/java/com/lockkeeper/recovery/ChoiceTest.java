package com.lockkeeper.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A configured entry, written as the documentation says, becomes a label and whether it needs notes. */
class ChoiceTest {

    @Test
    void theNotesRequiredSuffixAndALeadingOtherMeanNotesAreNeeded() {
        assertThat(Choice.of("Other (notes required)")).isEqualTo(Choice.withNotes("Other"));
        assertThat(Choice.of(" Something else (Notes Required) ")).isEqualTo(Choice.withNotes("Something else"));
        assertThat(Choice.of("Other")).isEqualTo(Choice.withNotes("Other"));
        assertThat(Choice.of("other reasons")).isEqualTo(Choice.withNotes("other reasons"));
        assertThat(Choice.of("Video call")).isEqualTo(Choice.plain("Video call"));
    }

    @Test
    void aChoiceIsShownWithItsSuffixAndNamedByItsLabelOrAsShownInAnyCase() {
        Choice other = Choice.withNotes("Other");
        List<Choice> choices = List.of(Choice.plain("Lost startup key"), other);

        assertThat(other.shown()).isEqualTo("Other (notes required)");
        assertThat(Choice.plain("Unknown").shown()).isEqualTo("Unknown");
        assertThat(Choice.find(choices, "other")).contains(other);
        assertThat(Choice.find(choices, " OTHER (notes required) ")).contains(other);
        assertThat(Choice.find(choices, "lost startup key")).contains(Choice.plain("Lost startup key"));
        assertThat(Choice.find(choices, "Lost")).isEmpty();
        assertThat(Choice.find(choices, null)).isEmpty();
        assertThat(Choice.shownAll(choices)).isEqualTo("Lost startup key | Other (notes required)");
    }
}
