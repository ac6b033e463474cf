package com.lockkeeper.web;

import com.lockkeeper.http.DatabaseUnavailable;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import javax.sql.DataSource;
import com.zaxxer.hikari.HikariDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The last line for API requests: a database failure that escapes every other handler (a filter
 * before the controllers, the session repository, a commit that fails after the controller
 * returned) becomes the same retryable 503 with Retry-After as in the controllers, never a 500
 * from the servlet container's error page. Runs first, so it wraps every other filter, and sees
 * every such 503, after which it renews the connection pool.
 */
final class DatabaseUnavailableFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(DatabaseUnavailableFilter.class);

    private final DataSource dataSource;

    DatabaseUnavailableFilter(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } catch (ServletException | IOException | RuntimeException e) {
            if (!DatabaseUnavailable.causedBy(e) || response.isCommitted()) {
                throw e;
            }
            log.warn("request failed, database unavailable: {}", DatabaseUnavailable.describe(e));
            response.reset();
            DatabaseUnavailable.write(response);
        }
        if (response.getStatus() == 503 && response.getHeader("Retry-After") != null) {
            dropIdleConnections();
        }
    }

    /**
     * One lost connection means the others in the pool are most likely dead too (the database
     * restarted or failed over): replace them all now rather than fail one request per pooled
     * connection after the database is back.
     */
    private void dropIdleConnections() {
        if (dataSource instanceof HikariDataSource hikari && hikari.getHikariPoolMXBean() != null) {
            hikari.getHikariPoolMXBean().softEvictConnections();
        }
    }
}
