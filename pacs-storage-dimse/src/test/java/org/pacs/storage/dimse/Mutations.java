package org.pacs.storage.dimse;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeded PDU-level mutations: wrong lengths, truncated items, unknown PDU types, oversized lengths, noise. */
final class Mutations {

    private Mutations() {
    }

    static byte[] mutate(byte[] seed, Random r) {
        List<int[]> pdus = boundaries(seed);
        byte[] b = seed.clone();
        int kind = r.nextInt(8);
        int[] p = pdus.get(r.nextInt(pdus.size()));
        switch (kind) {
            case 0 -> { // PDU length: off by a little, or huge
                int v = r.nextBoolean() ? p[1] + r.nextInt(17) - 8 : r.nextInt();
                PduWriter.putInt(b, p[0] + 2, v);
            }
            case 1 -> b[p[0]] = (byte) (8 + r.nextInt(248)); // unknown PDU type
            case 2 -> { // a 16- or 32-bit field anywhere inside a PDU body (item, sub-item and PDV lengths)
                int at = p[0] + 6 + r.nextInt(Math.max(1, p[1] - 4));
                if (at + 4 <= b.length) {
                    int v = r.nextBoolean() ? 0xFFFF : r.nextInt();
                    b[at] = (byte) (v >>> 24);
                    b[at + 1] = (byte) (v >>> 16);
                    if (r.nextBoolean()) {
                        b[at + 2] = (byte) (v >>> 8);
                        b[at + 3] = (byte) v;
                    }
                }
            }
            case 3 -> { // truncated
                return java.util.Arrays.copyOf(b, r.nextInt(b.length));
            }
            case 4 -> { // a few random bytes flipped
                for (int i = 0, n = 1 + r.nextInt(4); i < n; i++) {
                    b[r.nextInt(b.length)] ^= (byte) (1 + r.nextInt(255));
                }
            }
            case 5 -> { // a PDU dropped
                byte[] out = new byte[b.length - p[1] - 6];
                System.arraycopy(b, 0, out, 0, p[0]);
                System.arraycopy(b, p[0] + p[1] + 6, out, p[0], b.length - p[0] - p[1] - 6);
                return out;
            }
            case 6 -> { // a PDU repeated (a second A-ASSOCIATE-RQ, a data fragment twice)
                byte[] out = new byte[b.length + p[1] + 6];
                System.arraycopy(b, 0, out, 0, p[0] + p[1] + 6);
                System.arraycopy(b, p[0], out, p[0] + p[1] + 6, b.length - p[0]);
                return out;
            }
            default -> { // noise inserted inside a PDU
                int at = p[0] + r.nextInt(p[1] + 6);
                byte[] noise = new byte[1 + r.nextInt(64)];
                r.nextBytes(noise);
                byte[] out = new byte[b.length + noise.length];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(noise, 0, out, at, noise.length);
                System.arraycopy(b, at, out, at + noise.length, b.length - at);
                return out;
            }
        }
        return b;
    }

    /** {offset, body length} of each PDU of a valid stream. */
    static List<int[]> boundaries(byte[] b) {
        List<int[]> out = new ArrayList<>();
        int pos = 0;
        while (pos + 6 <= b.length) {
            int len = ((b[pos + 2] & 0xFF) << 24) | ((b[pos + 3] & 0xFF) << 16) | ((b[pos + 4] & 0xFF) << 8)
                    | (b[pos + 5] & 0xFF);
            out.add(new int[] {pos, len});
            pos += 6 + len;
        }
        return out;
    }
}
