package org.pagelab.trace;

import java.util.Locale;

/**
 * What a request of a cache trace does with its object, as key-value and libCacheSim traces name
 * the operations: a read, a write (the object is stored or changed, and so is in the cache
 * afterwards), or a delete, which is no access (the policies have no removal: the object stays
 * until it is evicted).
 */
enum RequestOp {
    READ,
    WRITE,
    DELETE;

    /** The operations by name, as the traces spell them (any case), or null for a name not known. */
    static RequestOp named(String op) {
        return switch (op.toLowerCase(Locale.ROOT)) {
            case "read", "r", "get", "gets", "nop" -> READ;
            case "write", "w", "set", "add", "replace", "cas", "append", "prepend", "update", "incr", "decr" -> WRITE;
            case "delete", "del" -> DELETE;
            default -> null;
        };
    }

    /** libCacheSim's operation codes (its {@code req_op_e}), or null for a code it does not define. */
    static RequestOp code(int op) {
        return switch (op) {
            case 0, 1, 2, 12 -> READ; // nop, get, gets, read
            case 3, 4, 5, 6, 7, 8, 10, 11, 13, 14 -> WRITE; // set, add, cas, replace, append, prepend, incr, decr, write, update
            case 9 -> DELETE;
            default -> null;
        };
    }
}
