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
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;

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

    /** OpenID Connect sign-in, when at least one provider is configured under {@code lockkeeper.oidc.<id>}. */
    @Configuration(proxyBeanMethods = false)
    @Conditional(OidcConfigured.class)
    static class Oidc {

        @Bean
        OidcProviders oidcProviders(OidcSettings settings) {
            return new OidcProviders(settings);
        }

        @Bean
        OidcLogin oidcLogin(OidcProviders providers, UserAccounts users, AuditLog audit, SignInSuccessHandler successes) {
            return new OidcLogin(providers, new OidcUsers(providers, users), audit, successes);
        }
    }

    static final class OidcConfigured implements Condition {

        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return Binder.get(context.getEnvironment())
                    .bind("lockkeeper.oidc", Bindable.mapOf(String.class, OidcSettings.Provider.class))
                    .map(providers -> !providers.isEmpty())
                    .orElse(false);
        }
    }
}
