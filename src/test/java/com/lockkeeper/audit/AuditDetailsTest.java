package com.lockkeeper.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Details are stored as JSON with sorted keys and no nulls, always fit the column, and read back by key. */
class AuditDetailsTest {

    record Sample(String zulu, String alpha, String middle) {
    }

    @Test
    void detailsAreAJsonObjectOfTheirNonNullFieldsWithKeysSorted() {
        assertThat(AuditDetails.json(new Sample("z \"quoted\"", "a", null))).isEqualTo("{\"alpha\":\"a\",\"zulu\":\"z \\\"quoted\\\"\"}");
    }

    @Test
    void detailsThatWouldNotFitTheColumnHaveTheirLongestValueShortened() {
        String json = AuditDetails.json(new Sample("z".repeat(1500), "a".repeat(900), "m"));

        assertThat(json).hasSizeLessThanOrEqualTo(AuditDetails.MAX_LENGTH);
        Sample read = AuditDetails.read(json, Sample.class).orElseThrow();
        assertThat(read.zulu()).startsWith("zzz").endsWith("…");
        assertThat(read.alpha()).isEqualTo("a".repeat(900));
        assertThat(read.middle()).isEqualTo("m");
    }

    @Test
    void jsonReadsBackByKeyIgnoringKeysItDoesNotKnowAndFreeTextIsNotJson() {
        assertThat(AuditDetails.read("{\"alpha\":\"a\",\"added\":\"later\"}", Sample.class)).contains(new Sample(null, "a", null));
        assertThat(AuditDetails.read("requester: alice; role: HELPDESK", Sample.class)).isEmpty();
        assertThat(AuditDetails.read("{not json", Sample.class)).isEmpty();
        assertThat(AuditDetails.read(null, Sample.class)).isEmpty();
    }
}
