package org.pagelab.trace;

/**
 * Reads Twitter's cache traces (Yang et al., OSDI 2020, twitter/cache-trace): lines
 * {@code timestamp,anonymized key,key size,value size,client id,operation,TTL}. The key is hashed
 * to 64 bits with FNV-1a, as {@link CacheSimCsvReader} hashes ids that are not numbers; the
 * request's size is key size plus value size. {@code get} and {@code gets} are reads;
 * {@code set}, {@code add}, {@code replace}, {@code cas}, {@code append}, {@code prepend},
 * {@code incr} and {@code decr} writes; {@code delete} is no access (see {@link RequestOp}); any
 * other operation is an error.
 */
final class TwitterReader extends LineTraceReader {

    TwitterReader(TraceInput input, String file) {
        super(input, file, Access.Kind.BLOCK);
    }

    @Override
    protected void parseLine(String line) {
        if (line.isBlank()) {
            return;
        }
        int n = split(line, ',');
        if (n != 7) {
            throw badRecord(line, "timestamp,key,key size,value size,client id,operation,TTL");
        }
        decimalField(0, "timestamp");
        if (field(1).isEmpty()) {
            throw bad("key", field(1), "a key");
        }
        long keySize = decimalField(2, "key size");
        long valueSize = decimalField(3, "value size");
        decimalField(4, "client id");
        RequestOp op = switch (field(5)) {
            case "get", "gets" -> RequestOp.READ;
            case "set", "add", "replace", "cas", "append", "prepend", "incr", "decr" -> RequestOp.WRITE;
            case "delete" -> RequestOp.DELETE;
            default -> throw bad("operation", field(5), "get, gets, set, add, replace, cas, append, prepend, incr, decr or delete");
        };
        decimalField(6, "TTL");
        if (keySize > 1L << 40 || valueSize > 1L << 40) {
            throw problem("bad key or value size '" + keySize + "', '" + valueSize + "' (expected at most 2^40 bytes each)");
        }
        if (op != RequestOp.DELETE) {
            emit(CacheSimCsvReader.fnv1a(field(1)), op == RequestOp.WRITE, keySize + valueSize);
        }
    }
}
