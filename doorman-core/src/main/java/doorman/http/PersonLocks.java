package doorman.http;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Serialises the API's changes to any one person (enrolling, removing photos, deleting), so two uploads
 * of the same photo or an enrollment racing a delete resolve one after the other. A fixed set of stripes
 * keeps memory bounded however many ids clients send.
 */
final class PersonLocks {

    private final ReentrantLock[] stripes = new ReentrantLock[64];

    PersonLocks() {
        for (int i = 0; i < stripes.length; i++) stripes[i] = new ReentrantLock();
    }

    <T> T withPerson(long personId, Supplier<T> change) {
        ReentrantLock lock = stripes[Math.floorMod(Long.hashCode(personId), stripes.length)];
        lock.lock();
        try {
            return change.get();
        } finally {
            lock.unlock();
        }
    }
}
