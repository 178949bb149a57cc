package org.pacs.storage.catalog;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.pacs.storage.PixelLayout;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageException;
import org.pacs.storage.StoredHeader;

/**
 * The kept headers (schema step 3, table {@code instance_headers}): one row per instance beside its catalog row,
 * written in the same transaction as that row and deleted with it. Both columns are deflated (a DICOM header
 * shrinks to about a third; the fastest level, since ingest pays it on every store): {@code header} holds the
 * list of elided values and the stored bytes up to Pixel Data, {@code frame_offsets} the {@link PixelLayout}, or
 * NULL.
 */
final class CatalogHeaders {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CatalogHeaders.class);
    private static final byte FORMAT = 1;

    /** Insert or overwrite (a REPLACE store rewrites the header with its row). */
    static final String UPSERT = "INSERT INTO instance_headers (sop_instance_uid, header, frame_offsets)"
            + " VALUES (?, ?, ?) ON CONFLICT (sop_instance_uid) DO UPDATE SET header = excluded.header,"
            + " frame_offsets = excluded.frame_offsets";
    /**
     * Insert only beside a row of the same bytes (a batch may skip UIDs catalogued already, possibly as another
     * instance); a header there already is kept.
     */
    static final String INSERT_IF_SAME = "INSERT INTO instance_headers (sop_instance_uid, header, frame_offsets)"
            + " SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM instances WHERE sop_instance_uid = ? AND sha256 = ?)"
            + " ON CONFLICT (sop_instance_uid) DO NOTHING";
    static final String DELETE = "DELETE FROM instance_headers WHERE sop_instance_uid = ?";
    private static final String SELECT = "SELECT h.sop_instance_uid, h.header, h.frame_offsets FROM instances i"
            + " JOIN instance_headers h ON h.sop_instance_uid = i.sop_instance_uid WHERE i.migration_state <> 'REMOVING'";

    private CatalogHeaders() {
    }

    /** Binds {@link #UPSERT}'s three parameters. */
    static void bind(PreparedStatement ps, SopInstanceUid uid, StoredHeader h) throws SQLException {
        ps.setString(1, uid.value());
        ps.setBytes(2, deflate(encodeHeader(h)));
        if (h.pixels() == null) {
            ps.setNull(3, Types.BINARY);
        } else {
            ps.setBytes(3, deflate(encode(h.pixels())));
        }
    }

    /** Writes the header of {@code e} when it has one ({@link #UPSERT}). */
    static void upsert(Connection c, CatalogEntry e) throws SQLException {
        if (e.header() == null) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
            bind(ps, e.instance().sopInstanceUid(), e.header());
            ps.executeUpdate();
        }
    }

    static void delete(Connection c, SopInstanceUid uid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(DELETE)) {
            ps.setString(1, uid.value());
            ps.executeUpdate();
        }
    }

    static Optional<StoredHeader> get(Connection c, SopInstanceUid uid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SELECT + " AND i.sop_instance_uid = ?")) {
            ps.setString(1, uid.value());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(read(rs)) : Optional.empty();
            }
        }
    }

    /** The study's (or series') kept headers in one query, through the study index. */
    static Map<SopInstanceUid, StoredHeader> ofStudy(Connection c, String study, String series) throws SQLException {
        String sql = SELECT + " AND i.study_uid = ?" + (series != null ? " AND i.series_uid = ?" : "");
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, study);
            if (series != null) {
                ps.setString(2, series);
            }
            Map<SopInstanceUid, StoredHeader> out = new HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    StoredHeader h = read(rs);
                    if (h != null) {
                        out.put(SopInstanceUid.of(rs.getString(1)), h);
                    }
                }
            }
            return out;
        }
    }

    /** A damaged row is reported and read as absent: the caller then reads the tier, as without a kept header. */
    private static StoredHeader read(ResultSet rs) throws SQLException {
        byte[] pixels = rs.getBytes(3);
        try {
            return decodeHeader(inflate(rs.getBytes(2)), pixels == null ? null : decode(inflate(pixels)));
        } catch (StorageException | IllegalArgumentException e) {
            LOG.warn("The kept header of {} is unreadable ({}); its tier is read instead", rs.getString(1),
                    e.getMessage());
            return null;
        }
    }

    static byte[] deflate(byte[] raw) {
        Deflater d = new Deflater(Deflater.BEST_SPEED);
        try {
            d.setInput(raw);
            d.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 2 + 64);
            out.write(FORMAT);
            byte[] buf = new byte[8192];
            while (!d.finished()) {
                out.write(buf, 0, d.deflate(buf));
            }
            return out.toByteArray();
        } finally {
            d.end();
        }
    }

    static byte[] inflate(byte[] stored) {
        if (stored == null || stored.length == 0 || stored[0] != FORMAT) {
            throw corrupt("an unknown format");
        }
        Inflater inf = new Inflater();
        try {
            inf.setInput(stored, 1, stored.length - 1);
            ByteArrayOutputStream out = new ByteArrayOutputStream(stored.length * 3);
            byte[] buf = new byte[8192];
            while (!inf.finished()) {
                int n = inf.inflate(buf);
                if (n == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    throw corrupt("a truncated value");
                }
                out.write(buf, 0, n);
                if (out.size() > StoredHeader.MAX_HEADER_BYTES + 16L * PixelLayout.MAX_FRAGMENTS + 64) {
                    throw corrupt("a value larger than any header kept");
                }
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw corrupt("damaged compressed bytes");
        } finally {
            inf.end();
        }
    }

    /** The elided values (count; tag, VR, length each), then the header bytes. */
    static byte[] encodeHeader(StoredHeader h) {
        try {
            ByteArrayOutputStream b = new ByteArrayOutputStream(h.part10().length + 16);
            DataOutputStream out = new DataOutputStream(b);
            out.writeInt(h.elided().size());
            for (StoredHeader.Elided e : h.elided()) {
                out.writeInt(e.tag());
                out.writeUTF(e.vr().name());
                out.writeLong(e.length());
            }
            out.write(h.part10());
            out.flush();
            return b.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("a byte array stream cannot fail", e);
        }
    }

    static StoredHeader decodeHeader(byte[] bytes, PixelLayout pixels) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
            int n = in.readInt();
            if (n < 0 || n > bytes.length) {
                throw new IOException("bad count " + n);
            }
            java.util.List<StoredHeader.Elided> elided = new java.util.ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                elided.add(new StoredHeader.Elided(in.readInt(), org.pacs.storage.dicom.VR.valueOf(in.readUTF()),
                        in.readLong()));
            }
            return new StoredHeader(in.readAllBytes(), elided, pixels);
        } catch (IOException | IllegalArgumentException e) {
            throw corrupt("a malformed header");
        }
    }

    static byte[] encode(PixelLayout p) {
        try {
            ByteArrayOutputStream b = new ByteArrayOutputStream(32 + 4 * (p.offsetTableSize() + p.fragments()));
            DataOutputStream out = new DataOutputStream(b);
            out.writeLong(p.valueOffset());
            out.writeLong(p.valueLength());
            out.writeInt(p.offsetTableSize());
            for (int i = 0; i < p.offsetTableSize(); i++) {
                out.writeInt((int) p.offsetTableEntry(i)); // 32-bit values in the file, read back unsigned
            }
            out.writeInt(p.fragments());
            for (int i = 0; i < p.fragments(); i++) {
                out.writeInt((int) p.fragmentLength(i));
            }
            out.flush();
            return b.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("a byte array stream cannot fail", e);
        }
    }

    static PixelLayout decode(byte[] bytes) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
            long offset = in.readLong();
            long length = in.readLong();
            long[] table = readU32s(in);
            long[] fragments = readU32s(in);
            return new PixelLayout(offset, length, table, fragments);
        } catch (IOException | IllegalArgumentException e) {
            throw corrupt("a malformed frame map");
        }
    }

    private static long[] readU32s(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > PixelLayout.MAX_FRAGMENTS) {
            throw new IOException("bad count " + n);
        }
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = Integer.toUnsignedLong(in.readInt());
        }
        return out;
    }

    private static StorageException corrupt(String what) {
        return new StorageException(StorageException.Reason.CORRUPT, "A header kept in the catalog has " + what
                + "; the instance's tier is read instead.");
    }
}
