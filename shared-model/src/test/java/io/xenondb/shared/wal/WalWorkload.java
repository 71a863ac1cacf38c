package io.xenondb.shared.wal;

import io.xenondb.shared.lsn.Lsn;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;

/**
 * A SQL workload that makes PostgreSQL 17 write WAL of every kind the storage node meets: DDL, inserts, HOT and
 * non-HOT updates and deletes with btree indexes, GIN, GiST, hash, BRIN and SP-GiST indexes, a sequence, VACUUM,
 * CREATE/DROP DATABASE with both strategies, TRUNCATE, DROP TABLE, a relation map update, full-page images
 * after checkpoints (plain and pglz-compressed), a multi-page record, one straddling a segment boundary and a
 * WAL switch. It remembers the facts the typed views must agree with.
 */
public final class WalWorkload {
    public Instant startedAt;
    public Lsn start;
    public Lsn end;
    public long walLogDbOid;
    public long fileCopyDbOid;
    public long truncatedOldNode;
    public long truncatedNewNode;
    public long droppedTableNode;
    public long pgClassNewNode;
    public long postgresDbOid;

    /** Runs the workload on {@code c} (autocommit) and records start and end LSNs around it. */
    public static WalWorkload run(Connection c) throws SQLException {
        WalWorkload w = new WalWorkload();
        try (Statement s = c.createStatement()) {
            s.execute("create extension if not exists pg_walinspect");
            w.startedAt = Instant.now();
            w.start = Lsn.parse(text(s, "select pg_current_wal_insert_lsn()"));
            w.postgresDbOid = number(s, "select oid from pg_database where datname = current_database()");

            s.execute("create table items (id int primary key, val text, n int)");
            s.execute("create index items_n on items (n)");
            for (int batch = 0; batch < 3; batch++) {
                s.execute("insert into items select g, md5(g::text), g % 97 from generate_series(" + (batch * 1000 + 1)
                        + ", " + (batch * 1000 + 1000) + ") g");
            }
            s.execute("update items set n = n + 1 where id % 3 = 0");
            s.execute("update items set val = val || 'x' where id % 5 = 0");
            s.execute("delete from items where id % 7 = 0");

            s.execute("create table docs (id int, tags int[])");
            s.execute("create index docs_tags on docs using gin (tags) with (fastupdate = off)");
            s.execute("insert into docs select g, array[g % 10, g % 13, g % 17] from generate_series(1, 400) g");
            s.execute("create table pts (p point)");
            s.execute("create index pts_p on pts using gist (p)");
            s.execute("insert into pts select point(g % 50, g / 50) from generate_series(1, 600) g");
            s.execute("create index items_hash on items using hash (id)");
            s.execute("create index items_brin on items using brin (id)");
            s.execute("create index items_spgist on items using spgist (val)");
            s.execute("insert into items select g, 'late' || g, g from generate_series(3001, 3300) g");

            s.execute("create sequence seq");
            s.execute("select nextval('seq') from generate_series(1, 200)");
            s.execute("vacuum items");
            s.execute("vacuum freeze docs");

            s.execute("create database xenon_wal_log");
            w.walLogDbOid = number(s, "select oid from pg_database where datname = 'xenon_wal_log'");
            s.execute("create database xenon_file_copy strategy file_copy");
            w.fileCopyDbOid = number(s, "select oid from pg_database where datname = 'xenon_file_copy'");
            s.execute("drop database xenon_file_copy");

            s.execute("create table trunc_me (x int)");
            s.execute("insert into trunc_me select generate_series(1, 100)");
            w.truncatedOldNode = number(s, "select pg_relation_filenode('trunc_me')");
            s.execute("truncate trunc_me");
            w.truncatedNewNode = number(s, "select pg_relation_filenode('trunc_me')");
            s.execute("create table drop_me (x int)");
            s.execute("insert into drop_me values (1)");
            w.droppedTableNode = number(s, "select pg_relation_filenode('drop_me')");
            s.execute("drop table drop_me");
            s.execute("vacuum full pg_class");
            w.pgClassNewNode = number(s, "select pg_relation_filenode('pg_class')");

            s.execute("checkpoint");
            s.execute("update items set n = n + 1 where id < 500");
            s.execute("set wal_compression = pglz");
            s.execute("checkpoint");
            s.execute("update items set n = n + 1 where id < 1500");
            s.execute("reset wal_compression");

            s.execute("select pg_logical_emit_message(false, 'xenon', repeat('m', 100000))");
            long insert =
                    Lsn.parse(text(s, "select pg_current_wal_insert_lsn()")).value();
            long toSegmentEnd = Lsn.WAL_SEGMENT_SIZE - insert % Lsn.WAL_SEGMENT_SIZE;
            s.execute("select pg_logical_emit_message(false, 'xenon', repeat('s', " + (toSegmentEnd + 3000) + "))");
            s.execute("insert into items values (-1, 'before switch', 0)");
            s.execute("select pg_switch_wal()");
            s.execute("insert into items values (-2, 'after switch', 0)");
            s.execute("checkpoint");
            w.end = Lsn.parse(text(s, "select pg_current_wal_flush_lsn()"));
        }
        return w;
    }

    static String text(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    static long number(Statement s, String sql) throws SQLException {
        return Long.parseLong(text(s, sql));
    }
}
