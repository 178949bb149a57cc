package org.pacs.storage.dimse;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A-ASSOCIATE-RQ and -AC (PS3.8 §9.3.2, §9.3.3): both share one layout, so one record holds either. For an RQ each
 * presentation context has an abstract syntax and the proposed transfer syntaxes; for an AC it has a result and the
 * one chosen transfer syntax (abstract syntax empty).
 */
record AssociatePdu(boolean accept, String calledAe, String callingAe, String applicationContext,
                    List<Context> contexts, UserInfo userInfo) {

    static final String DICOM_APPLICATION_CONTEXT = "1.2.840.10008.3.1.1.1";

    /** @param result 0 acceptance, 1 user rejection, 2 no reason, 3 abstract syntax not supported, 4 no syntax */
    record Context(int id, int result, String abstractSyntax, List<String> transferSyntaxes) {
    }

    /** SCP/SCU Role Selection sub-item (PS3.7 D.3.3.4). */
    record Role(String sopClass, boolean scu, boolean scp) {
    }

    /**
     * User Identity sub-item of an RQ (PS3.7 D.3.3.7.1, item 0x58): type 1 user name, 2 user name and passcode,
     * 3 Kerberos, 4 SAML, 5 JWT; the fields as sent (the secondary one only for type 2).
     */
    record Identity(int type, boolean responseRequested, byte[] primary, byte[] secondary) {
        static final int USERNAME = 1;
        static final int USERNAME_AND_PASSCODE = 2;

        @Override
        public String toString() {
            return "Identity[type " + type + "]"; // never the passcode
        }
    }

    /**
     * @param maxPduLength     0 means unlimited (PS3.8 D.1)
     * @param asyncWindow      whether the peer sent an Asynchronous Operations Window sub-item
     * @param identity         the RQ's user identity, or null
     * @param identityResponse an AC's positive user identity response (item 0x59, empty server response)
     */
    record UserInfo(long maxPduLength, String implementationClassUid, String implementationVersion, List<Role> roles,
                    boolean asyncWindow, Identity identity, boolean identityResponse) {

        UserInfo(long maxPduLength, String implementationClassUid, String implementationVersion, List<Role> roles,
                 boolean asyncWindow) {
            this(maxPduLength, implementationClassUid, implementationVersion, roles, asyncWindow, null, false);
        }
    }

    static AssociatePdu parse(boolean accept, byte[] b) throws ProtocolException {
        PduReader.Cursor c = new PduReader.Cursor(b, 0, b.length);
        int version = c.u16();
        c.skip(2);
        String called = printable(c.ascii(16).trim());
        String calling = printable(c.ascii(16).trim());
        c.skip(32);
        if ((version & 1) == 0) {
            throw new ProtocolException(ProtocolException.INVALID_PARAMETER, "protocol version " + version);
        }
        String appContext = null;
        List<Context> contexts = new ArrayList<>();
        UserInfo user = null;
        while (c.remaining() > 0) {
            int type = c.u8();
            c.skip(1);
            PduReader.Cursor item = c.sub(c.u16());
            switch (type) {
                case 0x10 -> appContext = item.ascii(item.remaining()).trim();
                case 0x20, 0x21 -> contexts.add(context(item, type == 0x21));
                case 0x50 -> user = userInfo(item);
                default -> throw new ProtocolException(ProtocolException.UNRECOGNIZED_PARAMETER,
                        "unknown item type 0x" + Integer.toHexString(type));
            }
        }
        if (appContext == null || user == null) {
            throw new ProtocolException(ProtocolException.INVALID_PARAMETER,
                    "A-ASSOCIATE without application context or user information item");
        }
        return new AssociatePdu(accept, called, calling, appContext, contexts, user);
    }

    /** AE titles end up in logs and the audit: control and non-ASCII bytes are shown as '?' (no log forging). */
    static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.chars().forEach(ch -> b.append(ch >= 0x20 && ch < 0x7F ? (char) ch : '?'));
        return b.toString();
    }

    private static Context context(PduReader.Cursor c, boolean ac) throws ProtocolException {
        int id = c.u8();
        c.skip(1);
        int result = c.u8();
        c.skip(1);
        if ((id & 1) == 0) {
            throw new ProtocolException(ProtocolException.INVALID_PARAMETER, "even presentation context ID " + id);
        }
        String abstractSyntax = "";
        List<String> syntaxes = new ArrayList<>();
        while (c.remaining() > 0) {
            int type = c.u8();
            c.skip(1);
            PduReader.Cursor sub = c.sub(c.u16());
            String uid = sub.ascii(sub.remaining()).replace("\0", "").trim();
            if (type == 0x30 && !ac) {
                abstractSyntax = uid;
            } else if (type == 0x40) {
                syntaxes.add(uid);
            } else {
                throw new ProtocolException(ProtocolException.UNEXPECTED_PARAMETER,
                        "sub-item 0x" + Integer.toHexString(type) + " in a presentation context");
            }
        }
        if (!ac && (abstractSyntax.isEmpty() || syntaxes.isEmpty())) {
            throw new ProtocolException(ProtocolException.INVALID_PARAMETER,
                    "presentation context " + id + " without abstract or transfer syntax");
        }
        return new Context(id, ac ? result : 0, abstractSyntax, syntaxes);
    }

    private static UserInfo userInfo(PduReader.Cursor c) throws ProtocolException {
        long max = 0;
        String implClass = "";
        String implVersion = "";
        boolean async = false;
        Identity identity = null;
        boolean identityResponse = false;
        List<Role> roles = new ArrayList<>();
        while (c.remaining() > 0) {
            int type = c.u8();
            c.skip(1);
            PduReader.Cursor sub = c.sub(c.u16());
            switch (type) {
                case 0x51 -> max = sub.u32();
                case 0x52 -> implClass = sub.ascii(sub.remaining()).trim();
                case 0x55 -> implVersion = sub.ascii(sub.remaining()).trim();
                case 0x53 -> async = true;
                case 0x54 -> {
                    PduReader.Cursor uid = sub.sub(sub.u16());
                    roles.add(new Role(uid.ascii(uid.remaining()).replace("\0", "").trim(), sub.u8() == 1,
                            sub.u8() == 1));
                }
                case 0x58 -> {
                    int idType = sub.u8();
                    boolean response = sub.u8() == 1;
                    PduReader.Cursor primary = sub.sub(sub.u16());
                    PduReader.Cursor secondary = sub.sub(sub.u16());
                    identity = new Identity(idType, response, primary.bytes(), secondary.bytes());
                }
                case 0x59 -> identityResponse = true;
                default -> {
                    // Extended negotiation and the like: optional, ignored as PS3.7 D.3.3 allows.
                }
            }
        }
        return new UserInfo(max, implClass, implVersion, roles, async, identity, identityResponse);
    }

    byte[] encode() {
        ByteArrayOutputStream b = new ByteArrayOutputStream(512);
        u16(b, 1);
        u16(b, 0);
        b.writeBytes(padAe(calledAe));
        b.writeBytes(padAe(callingAe));
        b.writeBytes(new byte[32]);
        item(b, 0x10, ascii(applicationContext));
        for (Context ctx : contexts) {
            ByteArrayOutputStream p = new ByteArrayOutputStream();
            p.write(ctx.id());
            p.write(0);
            p.write(accept ? ctx.result() : 0);
            p.write(0);
            if (!accept) {
                item(p, 0x30, ascii(ctx.abstractSyntax()));
            }
            for (String ts : ctx.transferSyntaxes()) {
                item(p, 0x40, ascii(ts));
            }
            item(b, accept ? 0x21 : 0x20, p.toByteArray());
        }
        ByteArrayOutputStream u = new ByteArrayOutputStream();
        byte[] max = new byte[4];
        PduWriter.putInt(max, 0, (int) userInfo.maxPduLength());
        item(u, 0x51, max);
        item(u, 0x52, ascii(userInfo.implementationClassUid()));
        if (userInfo.asyncWindow()) {
            item(u, 0x53, new byte[] {0, 1, 0, 1});
        }
        for (Role r : userInfo.roles()) {
            ByteArrayOutputStream s = new ByteArrayOutputStream();
            byte[] uid = ascii(r.sopClass());
            u16(s, uid.length);
            s.writeBytes(uid);
            s.write(r.scu() ? 1 : 0);
            s.write(r.scp() ? 1 : 0);
            item(u, 0x54, s.toByteArray());
        }
        item(u, 0x55, ascii(userInfo.implementationVersion()));
        if (userInfo.identity() != null && !accept) {
            Identity id = userInfo.identity();
            ByteArrayOutputStream s = new ByteArrayOutputStream();
            s.write(id.type());
            s.write(id.responseRequested() ? 1 : 0);
            u16(s, id.primary().length);
            s.writeBytes(id.primary());
            u16(s, id.secondary().length);
            s.writeBytes(id.secondary());
            item(u, 0x58, s.toByteArray());
        }
        if (userInfo.identityResponse() && accept) {
            item(u, 0x59, new byte[] {0, 0}); // no server response for user name (and passcode) identities
        }
        item(b, 0x50, u.toByteArray());
        return b.toByteArray();
    }

    private static void item(ByteArrayOutputStream b, int type, byte[] value) {
        b.write(type);
        b.write(0);
        u16(b, value.length);
        b.writeBytes(value);
    }

    private static void u16(ByteArrayOutputStream b, int v) {
        b.write(v >>> 8);
        b.write(v);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] padAe(String ae) {
        byte[] out = new byte[16];
        java.util.Arrays.fill(out, (byte) ' ');
        byte[] a = ascii(ae);
        System.arraycopy(a, 0, out, 0, Math.min(16, a.length));
        return out;
    }
}
