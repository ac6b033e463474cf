package com.lockkeeper.signin;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Sign-in against Active Directory or another LDAP directory, on when {@code url} is set.
 * The defaults fit Active Directory. Group names in {@code groupRoles} are a group's CN or its
 * whole DN (a DN needs brackets: {@code lockkeeper.ldap.group-roles[CN=Helpdesk,OU=Groups,DC=corp]=HELPDESK}).
 *
 * @param url              {@code ldap://dc1.corp.example.com:389} or {@code ldaps://…:636}
 * @param bindDn           the service account that searches for users and groups
 * @param bindPasswordFile a file holding that account's password (never the password on a command line)
 * @param userSearchFilter {0} is the user name as typed
 * @param groupSearchFilter {0} is the user's DN, {1} the user name
 * @param disabledFilter   accounts matching this filter cannot sign in, besides AD's userAccountControl "disabled" bit
 * @param caFile           for ldaps: a PEM file of the CA certificate(s) that issued the directory's certificate
 *                         (without it, the JVM's trust store); the certificate must also name the URL's host
 */
@ConfigurationProperties("lockkeeper.ldap")
public record LdapSettings(
        String url,
        String baseDn,
        String bindDn,
        Path bindPasswordFile,
        String userSearchBase,
        @DefaultValue("(sAMAccountName={0})") String userSearchFilter,
        @DefaultValue("sAMAccountName") String usernameAttribute,
        String groupSearchBase,
        @DefaultValue("(member={0})") String groupSearchFilter,
        String disabledFilter,
        @DefaultValue("5s") Duration timeout,
        Map<String, String> groupRoles,
        Path caFile) {

    public LdapSettings {
        groupRoles = groupRoles == null ? Map.of() : Map.copyOf(groupRoles);
    }

    public boolean enabled() {
        return url != null && !url.isBlank();
    }

    String userBase() {
        return userSearchBase == null || userSearchBase.isBlank() ? baseDn : userSearchBase;
    }

    String groupBase() {
        return groupSearchBase == null || groupSearchBase.isBlank() ? baseDn : groupSearchBase;
    }
}
