package org.pagelab.desc;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Consumer;

/**
 * An intrusive doubly linked list of descriptors, linked through the descriptors' own fields.
 *
 * <p>Invariants (checked by {@link #check()}): walking {@code next} from the head reaches the tail
 * in exactly {@code size} steps, walking {@code prev} from the tail reaches the head in the same
 * number, and every element's {@code list} field names this list.
 *
 * @param <T> the descriptor kind held
 */
public final class DescList<T extends MemDesc> implements Iterable<T> {
    private final String name;
    private MemDesc head;
    private MemDesc tail;
    private long size;

    /** Creates an empty list with a name used in error messages. */
    public DescList(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    public long size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** Whether {@code d} is linked on this list. */
    public boolean contains(MemDesc d) {
        return d.list == this;
    }

    /** Links {@code d} at the head. Requires: {@code d} is on no list. */
    public void addHead(T d) {
        requireUnlinked(d);
        d.list = this;
        d.prev = null;
        d.next = head;
        if (head != null) {
            head.prev = d;
        } else {
            tail = d;
        }
        head = d;
        size++;
    }

    /** Links {@code d} at the tail. Requires: {@code d} is on no list. */
    public void addTail(T d) {
        requireUnlinked(d);
        d.list = this;
        d.next = null;
        d.prev = tail;
        if (tail != null) {
            tail.next = d;
        } else {
            head = d;
        }
        tail = d;
        size++;
    }

    /** Unlinks {@code d}. Requires: {@code d} is on this list. */
    public void remove(T d) {
        if (d.list != this) {
            throw new IllegalStateException(d + " is not on list " + name);
        }
        if (d.prev != null) {
            d.prev.next = d.next;
        } else {
            head = d.next;
        }
        if (d.next != null) {
            d.next.prev = d.prev;
        } else {
            tail = d.prev;
        }
        d.prev = null;
        d.next = null;
        d.list = null;
        size--;
    }

    /** The head element, or null when empty. */
    @SuppressWarnings("unchecked")
    public T peekHead() {
        return (T) head;
    }

    /** The tail element, or null when empty. */
    @SuppressWarnings("unchecked")
    public T peekTail() {
        return (T) tail;
    }

    /** Removes and returns the head, or null when empty. */
    public T pollHead() {
        T d = peekHead();
        if (d != null) {
            remove(d);
        }
        return d;
    }

    /** Removes and returns the tail, or null when empty. */
    public T pollTail() {
        T d = peekTail();
        if (d != null) {
            remove(d);
        }
        return d;
    }

    /** The element after {@code d} on its list, or null. */
    @SuppressWarnings("unchecked")
    public T nextOf(T d) {
        return (T) d.next;
    }

    /** The element before {@code d} on its list, or null. */
    @SuppressWarnings("unchecked")
    public T prevOf(T d) {
        return (T) d.prev;
    }

    private void requireUnlinked(MemDesc d) {
        if (d.list != null) {
            throw new IllegalStateException(d + " is already on list " + d.list.name + ", cannot add to " + name);
        }
        if (d.isDead()) {
            throw new IllegalStateException("dead descriptor " + d + " added to " + name);
        }
    }

    @Override
    public Iterator<T> iterator() {
        return new Iterator<>() {
            private MemDesc cur = head;

            @Override
            public boolean hasNext() {
                return cur != null;
            }

            @Override
            @SuppressWarnings("unchecked")
            public T next() {
                if (cur == null) {
                    throw new NoSuchElementException();
                }
                MemDesc d = cur;
                cur = cur.next;
                return (T) d;
            }
        };
    }

    @Override
    @SuppressWarnings("unchecked")
    public void forEach(Consumer<? super T> action) {
        for (MemDesc d = head; d != null; d = d.next) {
            action.accept((T) d);
        }
    }

    /**
     * Recomputes the list's structure: both directions agree with {@code size} and every element
     * names this list. Throws {@link IllegalStateException} describing the first break found.
     */
    public void check() {
        long n = 0;
        MemDesc prev = null;
        for (MemDesc d = head; d != null; d = d.next) {
            if (d.list != this) {
                throw new IllegalStateException(name + ": element " + d + " names list " + (d.list == null ? "none" : d.list.name));
            }
            if (d.prev != prev) {
                throw new IllegalStateException(name + ": broken prev link at " + d);
            }
            if (++n > size) {
                throw new IllegalStateException(name + ": forward walk longer than size " + size);
            }
            prev = d;
        }
        if (prev != tail) {
            throw new IllegalStateException(name + ": forward walk does not end at the tail");
        }
        if (n != size) {
            throw new IllegalStateException(name + ": forward walk " + n + " != size " + size);
        }
        long m = 0;
        for (MemDesc d = tail; d != null; d = d.prev) {
            m++;
        }
        if (m != size) {
            throw new IllegalStateException(name + ": backward walk " + m + " != size " + size);
        }
    }
}
