package doorman.mqtt;

import doorman.config.MqttConfig;

/** Every topic the door uses, derived from {@code mqtt.base-topic} and {@code mqtt.door}. */
record Topics(String base, String door) {

    static Topics of(MqttConfig config) {
        return new Topics(config.baseTopic(), config.door());
    }

    private String doorTopic(String leaf) {
        return base + "/" + door + "/" + leaf;
    }

    /** "online" / "offline", retained; "offline" is also the last will. */
    String availability() {
        return doorTopic("availability");
    }

    /** "LOCKED" / "UNLOCKED", retained, following the relay. */
    String lock() {
        return doorTopic("lock");
    }

    /** Commands "UNLOCK" / "LOCK" from Home Assistant. */
    String lockCommand() {
        return doorTopic("lock/set");
    }

    /** One JSON object per audited decision, not retained. */
    String event() {
        return doorTopic("event");
    }

    /** The name of the last person the door let in, retained. */
    String lastPerson() {
        return doorTopic("last_person");
    }

    /** "ON" when a stranger was refused (Home Assistant turns it off after a while). */
    String stranger() {
        return doorTopic("stranger");
    }

    /** The aligned face of the last refused visit, JPEG (only with {@code mqtt.publish-faces}). */
    String face() {
        return doorTopic("face");
    }

    /** "ON" when a spoof attempt was refused. */
    String spoof() {
        return doorTopic("spoof");
    }

    /** Household records: one retained message per person, shared by every door of the household. */
    String householdPerson(String uid) {
        return base + "/household/person/" + uid;
    }

    String householdFilter() {
        return base + "/household/person/+";
    }
}
