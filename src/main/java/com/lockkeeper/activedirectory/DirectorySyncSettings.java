package com.lockkeeper.activedirectory;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Keeping Lockkeeper in step with Active Directory while both are in use: every {@code interval} the
 * server reads the recovery objects changed since the last run (by uSNChanged, per domain controller)
 * and imports them. One node of a cluster runs it at a time. Read only: nothing is written to the directory.
 *
 * @param enabled          off by default
 * @param url              ldaps://dc1.corp.example.com: one domain controller (its USNs are its own)
 * @param baseDn           where the computers are, like DC=corp,DC=example,DC=com
 * @param bindDn           the reading account (see the migration guide for its rights)
 * @param bindPasswordFile a file holding that account's password
 * @param caFile           for ldaps: PEM file of the CA certificate(s) of the domain controllers
 * @param interval         time between runs, like PT5M
 * @param pageSize         entries per page (Active Directory answers at most 1,000)
 * @param timeout          time-out of each request to the directory
 */
@ConfigurationProperties("lockkeeper.sync.ad")
public record DirectorySyncSettings(
        @DefaultValue("false") boolean enabled,
        String url,
        String baseDn,
        String bindDn,
        Path bindPasswordFile,
        Path caFile,
        @DefaultValue("PT5M") Duration interval,
        @DefaultValue("1000") int pageSize,
        @DefaultValue("PT60S") Duration timeout) {

    DirectoryImport.Connection connection() {
        return new DirectoryImport.Connection(url, baseDn, bindDn, bindPasswordFile, caFile, pageSize, timeout);
    }
}
