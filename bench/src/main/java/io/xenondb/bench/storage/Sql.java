package io.xenondb.bench.storage;

import io.xenondb.shared.lsn.Lsn;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** A PostgreSQL database by JDBC URL and user, with the few statements the benchmark runs. */
public record Sql(String url, String user) {
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, "");
    }

    public void execute(String... statements) throws SQLException {
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    public String text(String query) throws SQLException {
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getString(1);
        }
    }

    public long number(String query) throws SQLException {
        return Long.parseLong(text(query));
    }

    /**
     * The end of the WAL written so far, as a record boundary: right after a record that ends on a WAL page
     * boundary the insert position is past the next page's header, where no record ends.
     */
    Lsn walEnd() throws SQLException {
        Lsn insert = Lsn.parse(text("select pg_current_wal_insert_lsn()"));
        if (insert.segmentOffset() == 40) { // long page header at a segment start
            return Lsn.of(insert.value() - 40);
        }
        if (insert.pageOffset() == 24) { // short page header
            return Lsn.of(insert.value() - 24);
        }
        return insert;
    }

    /** Connects and answers {@code select 1}: "the first query answered" of a start. */
    public void firstQuery() throws SQLException {
        if (number("select 1") != 1) {
            throw new SQLException("select 1 did not answer 1 on " + url);
        }
    }
}
