package com.lockkeeper.users;

import java.util.Optional;

/**
 * People in the organisation's directory (Active Directory / LDAP), looked up without their
 * password: for personal tokens of directory users, which carry the roles the directory gives
 * them at each call.
 */
public interface DirectoryAccounts {

    /** The person with their current roles, or empty if unknown or disabled. */
    Optional<SignedInUser> lookup(String username);
}
