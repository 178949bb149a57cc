package org.pacs.storage.dicom;

/** DICOM value representations (PS3.5 §6.2). */
public enum VR {
    AE(Kind.STRING, false, ' '), AS(Kind.STRING, false, ' '), AT(Kind.BINARY, false, 0),
    CS(Kind.STRING, false, ' '), DA(Kind.STRING, false, ' '), DS(Kind.STRING, false, ' '),
    DT(Kind.STRING, false, ' '), FL(Kind.BINARY, false, 0), FD(Kind.BINARY, false, 0),
    IS(Kind.STRING, false, ' '), LO(Kind.TEXT, false, ' '), LT(Kind.TEXT, false, ' '),
    OB(Kind.BINARY, true, 0), OD(Kind.BINARY, true, 0), OF(Kind.BINARY, true, 0),
    OL(Kind.BINARY, true, 0), OV(Kind.BINARY, true, 0), OW(Kind.BINARY, true, 0),
    PN(Kind.TEXT, false, ' '), SH(Kind.TEXT, false, ' '), SL(Kind.BINARY, false, 0),
    SQ(Kind.SEQUENCE, true, 0), SS(Kind.BINARY, false, 0), ST(Kind.TEXT, false, ' '),
    SV(Kind.BINARY, true, 0), TM(Kind.STRING, false, ' '), UC(Kind.TEXT, true, ' '),
    UI(Kind.STRING, false, 0), UL(Kind.BINARY, false, 0), UN(Kind.BINARY, true, 0),
    UR(Kind.STRING, true, ' '), US(Kind.BINARY, false, 0), UT(Kind.TEXT, true, ' '),
    UV(Kind.BINARY, true, 0);

    /** How the value is held in memory. TEXT values are decoded with Specific Character Set. */
    public enum Kind { STRING, TEXT, BINARY, SEQUENCE }

    private final Kind kind;
    private final boolean longLength;
    private final int padding;

    VR(Kind kind, boolean longLength, int padding) {
        this.kind = kind;
        this.longLength = longLength;
        this.padding = padding;
    }

    public Kind kind() {
        return kind;
    }

    /** True when the value is one or more strings (text VRs included). */
    public boolean isString() {
        return kind == Kind.STRING || kind == Kind.TEXT;
    }

    /** True when Specific Character Set applies (PS3.5 §6.1.2.3). */
    public boolean isCharsetDependent() {
        return kind == Kind.TEXT;
    }

    /** True for VRs whose values are one string, never split on backslash. */
    public boolean isSingleValuedText() {
        return this == LT || this == ST || this == UT || this == UR;
    }

    /** Explicit VR encodings give these a 2-byte reserved field and a 4-byte length. */
    public boolean hasLongLength() {
        return longLength;
    }

    public int paddingByte() {
        return padding;
    }

    /** Parses the two ASCII bytes of an explicit VR, or returns null for anything not a VR. */
    public static VR fromCode(int b0, int b1) {
        if (b0 < 'A' || b0 > 'Z' || b1 < 'A' || b1 > 'Z') {
            return null;
        }
        try {
            return valueOf(new String(new char[] {(char) b0, (char) b1}));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
