package com.lockkeeper.bitlocker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.lockkeeper.support.InvalidValueException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ComputerNameTest {

    @Test
    void netBiosNameHasNoDomain() {
        ComputerName computer = ComputerName.parse(" desktop-7f3k2 ");

        assertThat(computer.name()).isEqualTo("DESKTOP-7F3K2");
        assertThat(computer.domain()).isEmpty();
        assertThat(computer.dnsName()).isEmpty();
        assertThat(computer.toString()).isEqualTo("DESKTOP-7F3K2");
    }

    @Test
    void fqdnSplitsAtTheFirstDot() {
        ComputerName computer = ComputerName.parse("Desktop-7F3K2.Corp.Example.COM");

        assertThat(computer.name()).isEqualTo("DESKTOP-7F3K2");
        assertThat(computer.domain()).hasValue("corp.example.com");
        assertThat(computer.dnsName()).hasValue("desktop-7f3k2.corp.example.com");
        assertThat(computer.toString()).isEqualTo("DESKTOP-7F3K2.corp.example.com");
    }

    @Test
    void aTrailingDotIsIgnored() {
        assertThat(ComputerName.parse("desktop-7f3k2.corp.example.com."))
                .isEqualTo(ComputerName.parse("DESKTOP-7F3K2.corp.example.com"));
    }

    @Test
    void hostNamesMayHaveUnderscores() {
        assertThat(ComputerName.parse("lab_pc_01").name()).isEqualTo("LAB_PC_01");
    }

    @Test
    void equalityIsOnNameAndDomain() {
        ComputerName plain = ComputerName.parse("DESKTOP-7F3K2");

        assertThat(ComputerName.parse("desktop-7f3k2")).isEqualTo(plain).hasSameHashCodeAs(plain);
        assertThat(ComputerName.parse("DESKTOP-7F3K2.corp.example.com")).isNotEqualTo(plain);
        assertThat(ComputerName.parse("DESKTOP-7F3K2.corp.example.com"))
                .isNotEqualTo(ComputerName.parse("DESKTOP-7F3K2.lab.example.com"));
    }

    @Test
    void fromDriveLabelTakesTheFirstWord() {
        assertThat(ComputerName.fromDriveLabel("DESKTOP-7F3K2 C: 11/23/2026").name()).isEqualTo("DESKTOP-7F3K2");
        assertThat(ComputerName.fromDriveLabel("  laptop-01.corp.example.com\tD: 1/2/2026"))
                .isEqualTo(ComputerName.parse("LAPTOP-01.corp.example.com"));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "C:"})
    void fromDriveLabelNeedsAComputerNameFirst(String label) {
        assertThatThrownBy(() -> ComputerName.fromDriveLabel(label)).isInstanceOf(InvalidValueException.class);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" ", ".", ".corp.example.com"})
    void rejectsAMissingName(String text) {
        assertThatThrownBy(() -> ComputerName.parse(text))
                .isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("empty");
    }

    @Test
    void rejectsAHostNameOfSixtyFourCharacters() {
        String host = "a".repeat(64);

        assertThat(ComputerName.parse("a".repeat(63)).name()).hasSize(63);
        assertThatThrownBy(() -> ComputerName.parse(host))
                .isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("63")
                .message().doesNotContain(host);
    }

    @Test
    void rejectsADomainLabelOfSixtyFourCharacters() {
        assertThatThrownBy(() -> ComputerName.parse("pc." + "b".repeat(64) + ".com"))
                .isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("label 1 of the DNS domain");
    }

    @Test
    void rejectsADnsNameOver253Characters() {
        String domain = String.join(".", "c".repeat(63), "c".repeat(63), "c".repeat(63), "c".repeat(60));

        assertThat(ComputerName.parse("pc." + domain.substring(3)).domain()).isPresent();
        assertThatThrownBy(() -> ComputerName.parse("pc." + domain))
                .isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("253");
    }

    @ParameterizedTest
    @ValueSource(strings = {"desk top", "desk$top", "déskto", "pc.corp_x.com", "pc.corp/x.com"})
    void rejectsABadCharacter(String text) {
        assertThatThrownBy(() -> ComputerName.parse(text))
                .isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("character");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-desktop", "desktop-", "-desktop.corp.example.com"})
    void rejectsAHostNameStartingOrEndingWithADash(String text) {
        assertThatThrownBy(() -> ComputerName.parse(text))
                .isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("start or end with -");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a..b", "pc.corp..com", "pc.corp.com.."})
    void rejectsAnEmptyDomainLabel(String text) {
        assertThatThrownBy(() -> ComputerName.parse(text))
                .isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("is empty");
    }
}
