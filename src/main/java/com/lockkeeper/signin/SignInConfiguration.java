package com.lockkeeper.signin;

import com.lockkeeper.users.UserAccounts;
import com.lockkeeper.audit.AuditLog;
import java.time.Clock;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
class SignInConfiguration {

    @Bean
    SignIn signIn(UserAccounts users, LdapSettings ldap, WebSettings web, JdbcClient jdbc, Clock clock, AuditLog audit) {
        return new SignIn(users, ldap.enabled() ? Optional.of(new LdapDirectory(ldap)) : Optional.empty(),
                new SignInThrottle(jdbc, web.signinThrottle(), clock), audit);
    }

    @Bean
    SignInSuccessHandler signInSuccessHandler(UserAccounts users) {
        return new SignInSuccessHandler(users);
    }

    @Bean
    SignInFailureHandler signInFailureHandler() {
        return new SignInFailureHandler();
    }
}
