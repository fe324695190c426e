package org.pagelab.trace;

/**
 * Reads VMware vscsi block traces as libCacheSim does (its {@code vscsi} format, e.g. its
 * cloudPhysicsIO sample): back-to-back little-endian records of one of two layouts,
 * <pre>
 *   v1 (32 bytes): uint32 sn | uint32 len | uint32 nSG | uint16 cmd | uint16 ver | uint64 lbn | uint64 ts
 *   v2 (40 bytes): uint16 cmd | uint16 ver | uint32 sn | uint32 len | uint32 nSG | uint64 lbn | uint64 ts | uint64 rt
 * </pre>
 * told apart by the version byte ({@code ver >> 8}, 2 or 1) of the first two records, so a trace
 * holds at least 80 bytes. Each record is an access to block {@code lbn} (a 512-byte sector number)
 * of {@code len} bytes ({@link TraceReader#size()}); the SCSI command says whether it writes
 * (WRITE(6), WRITE(10), WRITE(12) and WRITE(16): {@code 0x0a}, {@code 0x2a}, {@code 0xaa},
 * {@code 0x8a}). With {@code pages=true} the request is split into the 4 KiB pages its bytes cover
 * ({@link PageSplitReader}).
 */
final class VscsiReader extends BinaryBlockReader {

    private static final int PROBE = 80;

    private final boolean v2;

    VscsiReader(TraceInput input, String file) {
        super(input, file);
        if (!in.ensure(PROBE)) {
            throw TraceException.atByte(file, 0, "too short to tell the vscsi version: " + in.remaining()
                    + " bytes, at least " + PROBE);
        }
        if (in.peekU16le(2) >> 8 == 2 && in.peekU16le(40 + 2) >> 8 == 2) {
            v2 = true;
        } else if (in.peekU16le(14) >> 8 == 1 && in.peekU16le(32 + 14) >> 8 == 1) {
            v2 = false;
        } else {
            throw TraceException.atByte(file, 0, "not a vscsi trace: the first two records carry neither version 2"
                    + " (bytes 2-3 and 42-43) nor version 1 (bytes 14-15 and 46-47)");
        }
        record = v2 ? 40 : 32;
    }

    @Override
    public boolean next() {
        if (!nextRecord(" (vscsi v" + (v2 ? 2 : 1) + ")")) {
            return false;
        }
        int cmd;
        long len;
        if (v2) {
            cmd = in.u16le();
            in.u16le();
            in.u32le();
            len = in.u32le();
            in.u32le();
            block = in.u64le();
            in.u64le();
            in.u64le();
        } else {
            in.u32le();
            len = in.u32le();
            in.u32le();
            cmd = in.u16le();
            in.u16le();
            block = in.u64le();
            in.u64le();
        }
        size = len;
        int op = cmd & 0xff;
        write = op == 0x0a || op == 0x2a || op == 0xaa || op == 0x8a;
        return true;
    }
}
