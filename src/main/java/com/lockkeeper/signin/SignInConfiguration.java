package com.lockkeeper.signin;

import com.lockkeeper.users.UserAccounts;
import com.lockkeeper.audit.AuditLog;
import java.time.Clock;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
class SignInConfiguration {

    @Bean
    @ConditionalOnProperty(prefix = "lockkeeper.ldap", name = "url")
    LdapDirectory ldapDirectory(LdapSettings ldap) {
        return new LdapDirectory(ldap);
    }

    @Bean
    SignIn signIn(UserAccounts users, ObjectProvider<LdapDirectory> ldap, WebSettings web, JdbcClient jdbc, Clock clock,
            AuditLog audit) {
        return new SignIn(users, Optional.ofNullable(ldap.getIfAvailable()), new SignInThrottle(jdbc, web.signinThrottle(), clock),
                audit);
    }

    @Bean
    SignInSuccessHandler signInSuccessHandler(UserAccounts users) {
        return new SignInSuccessHandler(users);
    }

    @Bean
    SignOutAudit signOutAudit(AuditLog audit) {
        return new SignOutAudit(audit);
    }

    @Bean
    SignInFailureHandler signInFailureHandler() {
        return new SignInFailureHandler();
    }
}
