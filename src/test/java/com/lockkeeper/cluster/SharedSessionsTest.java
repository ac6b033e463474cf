package com.lockkeeper.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.testing.Installations;
import com.lockkeeper.testing.SharedPostgres;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;

/**
 * Web sessions live in the database (Spring Session JDBC): a session that one node created is
 * continued by another after the first is gone, as behind a load balancer without sticky sessions.
 */
class SharedSessionsTest {

    @TempDir
    Path dirA;

    @TempDir
    Path dirB;

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void aSessionCreatedOnOneNodeIsContinuedByAnotherAfterTheFirstIsGone() {
        String[] database = SharedPostgres.newDatabaseArguments();
        String id;
        try (ConfigurableApplicationContext nodeA = Installations.webServer(dirA, "session-a", database)) {
            SessionRepository sessions = nodeA.getBean(SessionRepository.class);
            Session session = sessions.createSession();
            session.setAttribute("signed-in-as", "helpdesk1");
            sessions.save(session);
            id = session.getId();
        }
        try (ConfigurableApplicationContext nodeB = Installations.webServer(dirB, "session-b", database)) {
            SessionRepository sessions = nodeB.getBean(SessionRepository.class);

            Session continued = sessions.findById(id);

            assertThat(continued).as("node-b finds node-a's session").isNotNull();
            assertThat((String) continued.getAttribute("signed-in-as")).isEqualTo("helpdesk1");
            sessions.deleteById(id);
            assertThat(sessions.findById(id)).isNull();
        }
    }
}
