package com.lockkeeper.signin;

import com.lockkeeper.support.LdapConnections;
import com.lockkeeper.support.Password;
import com.lockkeeper.users.DirectoryAccounts;
import com.lockkeeper.users.Role;
import com.lockkeeper.users.SignedInUser;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sign-in against Active Directory / LDAP: find the user with the service account, refuse a
 * disabled account, bind as the user to check the password, then map the user's groups to roles.
 * A person in no mapped group is an end user.
 */
public final class LdapDirectory implements DirectoryAccounts {

    /** Active Directory's userAccountControl ACCOUNTDISABLE bit. */
    static final int ACCOUNT_DISABLED = 0x2;

    private static final Logger log = LoggerFactory.getLogger(LdapDirectory.class);

    private final LdapSettings settings;
    private final GroupRoles groupRoles;

    LdapDirectory(LdapSettings settings) {
        this.settings = settings;
        this.groupRoles = GroupRoles.byGroup(settings.groupRoles(), "lockkeeper.ldap.group-roles");
    }

    /**
     * The signed-in user, or empty when the user is unknown, disabled or the password is wrong.
     *
     * @throws DirectoryUnavailableException when the directory cannot be reached or the service account cannot bind
     */
    public Optional<SignedInUser> authenticate(String username, Password password) {
        if (password.length() == 0) {
            return Optional.empty(); // an LDAP bind with an empty password is an anonymous bind: never a sign-in
        }
        try (LDAPConnection connection = connect()) {
            connection.bind(settings.bindDn(), bindPassword());
            Optional<SearchResultEntry> found = findUser(connection, username);
            if (found.isEmpty()) {
                return Optional.empty();
            }
            SearchResultEntry user = found.get();
            if (disabled(connection, user)) {
                log.info("directory sign-in refused: the account is disabled");
                return Optional.empty();
            }
            try (LDAPConnection asUser = connect()) {
                asUser.bind(user.getDN(), new String(password.chars()));
            } catch (LDAPException e) {
                if (e.getResultCode() == ResultCode.INVALID_CREDENTIALS) {
                    return Optional.empty();
                }
                throw e;
            }
            String name = Optional.ofNullable(user.getAttributeValue(settings.usernameAttribute())).orElse(username);
            return Optional.of(new SignedInUser(name, rolesOf(connection, user, username), SignIn.LDAP));
        } catch (LDAPException e) {
            throw new DirectoryUnavailableException("the directory at " + settings.url() + " did not answer the sign-in: "
                    + e.getResultCode(), e);
        }
    }

    /** The user's current roles by the service account alone (no password): for directory users' personal tokens. */
    @Override
    public Optional<SignedInUser> lookup(String username) {
        try (LDAPConnection connection = connect()) {
            connection.bind(settings.bindDn(), bindPassword());
            Optional<SearchResultEntry> found = findUser(connection, username);
            if (found.isEmpty() || disabled(connection, found.get())) {
                return Optional.empty();
            }
            SearchResultEntry user = found.get();
            String name = Optional.ofNullable(user.getAttributeValue(settings.usernameAttribute())).orElse(username);
            return Optional.of(new SignedInUser(name, rolesOf(connection, user, username), SignIn.LDAP));
        } catch (LDAPException e) {
            throw new DirectoryUnavailableException("the directory at " + settings.url() + " did not answer: "
                    + e.getResultCode(), e);
        }
    }

    private Optional<SearchResultEntry> findUser(LDAPConnection connection, String username) throws LDAPException {
        Filter filter = Filter.create(settings.userSearchFilter().replace("{0}", Filter.encodeValue(username)));
        SearchResult result = connection.search(settings.userBase(), SearchScope.SUB, filter,
                settings.usernameAttribute(), "userAccountControl");
        return result.getEntryCount() == 1 ? Optional.of(result.getSearchEntries().get(0)) : Optional.empty();
    }

    private boolean disabled(LDAPConnection connection, SearchResultEntry user) throws LDAPException {
        Integer control = user.getAttributeValueAsInteger("userAccountControl");
        if (control != null && (control & ACCOUNT_DISABLED) != 0) {
            return true;
        }
        if (settings.disabledFilter() == null || settings.disabledFilter().isBlank()) {
            return false;
        }
        return connection.search(user.getDN(), SearchScope.BASE, Filter.create(settings.disabledFilter()), "1.1")
                .getEntryCount() > 0;
    }

    private Set<Role> rolesOf(LDAPConnection connection, SearchResultEntry user, String username) throws LDAPException {
        Filter filter = Filter.create(settings.groupSearchFilter()
                .replace("{0}", Filter.encodeValue(user.getDN()))
                .replace("{1}", Filter.encodeValue(username)));
        List<String> groups = new ArrayList<>();
        for (SearchResultEntry group : connection.search(settings.groupBase(), SearchScope.SUB, filter, "cn").getSearchEntries()) {
            groups.add(group.getDN());
            String cn = group.getAttributeValue("cn");
            if (cn != null) {
                groups.add(cn);
            }
        }
        return groupRoles.of(groups);
    }

    private LDAPConnection connect() throws LDAPException {
        return LdapConnections.open(settings.url(), settings.caFile(), settings.timeout());
    }

    private String bindPassword() {
        if (settings.bindPasswordFile() == null) {
            throw new DirectoryUnavailableException("lockkeeper.ldap.bind-password-file is not set", null);
        }
        try {
            return Files.readString(settings.bindPasswordFile(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read lockkeeper.ldap.bind-password-file", e);
        }
    }

    /** The directory could not be asked: sign-in is unavailable, which is not the same as a wrong password. */
    public static final class DirectoryUnavailableException extends IllegalStateException {

        DirectoryUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
