package com.lockkeeper.recovery;

import com.lockkeeper.audit.AuditLog;
import com.lockkeeper.computers.RecoveryKeyRepository;
import com.lockkeeper.keys.KeyRing;
import com.lockkeeper.keys.RecordOpener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.support.TransactionTemplate;

@Configuration(proxyBeanMethods = false)
class RecoveryConfiguration {

    @Bean
    RevealService revealService(RecoveryKeyRepository keys, RecordOpener opener, AuditLog audit, TransactionTemplate transactions) {
        return new RevealService(keys, opener, audit, transactions);
    }

    @Bean
    KeyVerification keyVerification(RecoveryKeyRepository keys, RecordOpener opener, KeyRing ring, AuditLog audit) {
        return new KeyVerification(keys, opener, ring, audit);
    }
}
