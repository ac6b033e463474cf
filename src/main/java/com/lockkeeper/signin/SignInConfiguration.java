package com.lockkeeper.signin;

import com.lockkeeper.users.UserAccounts;
import java.util.Optional;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
class SignInConfiguration {

    @Bean
    SignIn signIn(UserAccounts users, LdapSettings ldap) {
        return new SignIn(users, ldap.enabled() ? Optional.of(new LdapDirectory(ldap)) : Optional.empty());
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
