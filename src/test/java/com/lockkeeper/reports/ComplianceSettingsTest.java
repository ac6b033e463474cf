package com.lockkeeper.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** {@code lockkeeper.compliance.verified-within}: 30 days unless set, ISO 8601 or Spring's short form, positive. */
class ComplianceSettingsTest {

    static ComplianceSettings bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("lockkeeper.compliance", ComplianceSettings.class);
    }

    @Test
    void thirtyDaysUnlessSet() {
        assertThat(bind(Map.of()).verifiedWithin()).isEqualTo(Duration.ofDays(30));
        assertThat(bind(Map.of()).window()).isEqualTo("30 days");
    }

    @Test
    void readsIso8601AndTheShortForm() {
        assertThat(bind(Map.of("lockkeeper.compliance.verified-within", "P60D")).verifiedWithin()).isEqualTo(Duration.ofDays(60));
        assertThat(bind(Map.of("lockkeeper.compliance.verified-within", "12h")).window()).isEqualTo("12 hours");
    }

    @Test
    void refusesAWindowThatIsNotPositive() {
        assertThatThrownBy(() -> bind(Map.of("lockkeeper.compliance.verified-within", "0d")))
                .isInstanceOf(BindException.class).rootCause().hasMessageContaining("must be a positive duration");
    }
}
