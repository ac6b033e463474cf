package com.lockkeeper.signin;

import com.lockkeeper.users.UserAccounts;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
class SignInConfiguration {

    @Bean
    SignIn signIn(UserAccounts users) {
        return new SignIn(users);
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
