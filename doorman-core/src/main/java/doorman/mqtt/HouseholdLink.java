package doorman.mqtt;

import doorman.gallery.Gallery;
import doorman.household.HouseholdSync;
import doorman.household.PersonRecord;
import doorman.metrics.Counter;
import doorman.metrics.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Carries the household records over MQTT: each person's record retained on {@code <base>/household/person/<uid>},
 * so a door that joins later receives them all when it subscribes. Local changes are noticed on the link thread
 * through the gallery's revision, so neither the API nor the frame loop waits for the broker; records that do not
 * fit in the queue wait here (not dropped: they are the household's state).
 */
final class HouseholdLink {

    private static final Logger log = LoggerFactory.getLogger(HouseholdLink.class);

    private final HouseholdSync sync;
    private final Gallery gallery;
    private final Topics topics;
    private final MqttLink link;
    private final Counter records;
    private final Deque<PersonRecord> pending = new ArrayDeque<>(); // link thread only
    private long seenRevision = -1;

    HouseholdLink(HouseholdSync sync, Gallery gallery, Topics topics, MqttLink link, Metrics metrics) {
        this.sync = sync;
        this.gallery = gallery;
        this.topics = topics;
        this.link = link;
        this.records = metrics.counter("doorman_household_records_total", "Household records received, by outcome.", "outcome");
    }

    /** Tick: share what changed here since the last look. */
    void publishLocalChanges() {
        long revision = gallery.revision();
        if (revision != seenRevision) {
            seenRevision = revision;
            pending.addAll(sync.localChanges());
        }
        while (!pending.isEmpty() && link.offerIfRoom(message(pending.peekFirst()))) pending.pollFirst();
    }

    /** After a connect: every record this door knows, in case the broker lost its retained messages. */
    List<MqttLink.Outgoing> allRecords() {
        pending.clear();
        seenRevision = gallery.revision();
        return sync.allRecords().stream().map(this::message).toList();
    }

    void onRecord(String topic, byte[] payload, boolean retained) {
        if (payload.length == 0) return; // a cleared retained message
        PersonRecord record;
        try {
            record = PersonRecord.parse(payload);
        } catch (IllegalArgumentException e) {
            records.inc("malformed");
            log.warn("household: ignored a malformed record on {}: {}", topic, e.getMessage());
            return;
        }
        if (!topic.equals(topics.householdPerson(record.uid()))) {
            records.inc("malformed");
            log.warn("household: ignored the record of person {} published on {}", record.uid(), topic);
            return;
        }
        HouseholdSync.Result result = sync.apply(record);
        records.inc(result.outcome().name().toLowerCase());
        if (result.outcome() == HouseholdSync.Outcome.LOCAL_WINS && result.answer() != null)
            link.offer(message(result.answer())); // so the broker retains the winner
    }

    private MqttLink.Outgoing message(PersonRecord r) {
        return new MqttLink.Outgoing(topics.householdPerson(r.uid()), r.toJson(), true);
    }
}
