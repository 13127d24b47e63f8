package doorman.policy;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The days and hours a person may open the door, read in the policy's time zone. {@code start == end} means the
 * whole day; {@code start > end} runs overnight into the next day (a {@code fri 22:00-06:00} schedule admits
 * Saturday at 05:00). Written as text like {@code always}, {@code mon-fri 08:00-18:00} or {@code sat,sun}.
 */
public record PersonSchedule(Set<DayOfWeek> days, LocalTime start, LocalTime end) {

    public static final PersonSchedule ALWAYS =
            new PersonSchedule(EnumSet.allOf(DayOfWeek.class), LocalTime.MIDNIGHT, LocalTime.MIDNIGHT);

    private static final String[] NAMES = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

    public PersonSchedule {
        if (days == null || days.isEmpty()) throw new IllegalArgumentException("a schedule needs at least one day");
        if (start == null || end == null) throw new IllegalArgumentException("a schedule needs a start and an end time");
        days = Collections.unmodifiableSet(EnumSet.copyOf(days));
    }

    public boolean allows(ZonedDateTime when) {
        DayOfWeek day = when.getDayOfWeek();
        LocalTime time = when.toLocalTime();
        if (start.equals(end)) return days.contains(day);
        if (start.isBefore(end)) return days.contains(day) && !time.isBefore(start) && time.isBefore(end);
        return (days.contains(day) && !time.isBefore(start)) || (days.contains(day.minus(1)) && time.isBefore(end));
    }

    /** Reads {@code always}, {@code mon-fri 08:00-18:00}, {@code sat,sun}, {@code mon,wed-fri 22:00-06:00}. */
    public static PersonSchedule parse(String text) {
        String s = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (s.equals("always")) return ALWAYS;
        String[] parts = s.split("\\s+");
        if (s.isEmpty() || parts.length > 2)
            throw new IllegalArgumentException("schedule must look like 'always', 'mon-fri 08:00-18:00' or 'sat,sun', got '" + text + "'");
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String item : parts[0].split(",")) {
            String[] range = item.split("-");
            if (range.length > 2) throw new IllegalArgumentException("schedule: cannot read days '" + item + "' in '" + text + "'");
            DayOfWeek first = day(range[0], text), last = range.length == 2 ? day(range[1], text) : first;
            for (DayOfWeek d = first; ; d = d.plus(1)) {
                days.add(d);
                if (d == last) break;
            }
        }
        if (parts.length == 1) return new PersonSchedule(days, LocalTime.MIDNIGHT, LocalTime.MIDNIGHT);
        String[] hours = parts[1].split("-");
        if (hours.length != 2) throw new IllegalArgumentException("schedule: hours must look like 08:00-18:00, got '" + parts[1] + "'");
        return new PersonSchedule(days, time(hours[0], text), time(hours[1], text));
    }

    @Override
    public String toString() {
        if (equals(ALWAYS)) return "always";
        List<String> runs = new ArrayList<>();
        int i = 0;
        while (i < 7) {
            if (!days.contains(DayOfWeek.of(i + 1))) {
                i++;
                continue;
            }
            int j = i;
            while (j + 1 < 7 && days.contains(DayOfWeek.of(j + 2))) j++;
            runs.add(j == i ? NAMES[i] : j == i + 1 ? NAMES[i] + "," + NAMES[j] : NAMES[i] + "-" + NAMES[j]);
            i = j + 1;
        }
        String dayText = String.join(",", runs);
        return start.equals(end) ? dayText : dayText + " " + start + "-" + end;
    }

    private static DayOfWeek day(String name, String text) {
        for (DayOfWeek d : DayOfWeek.values())
            if (name.length() >= 3 && d.name().toLowerCase(Locale.ROOT).startsWith(name)) return d;
        throw new IllegalArgumentException("schedule: '" + name + "' is not a day (mon, tue, ... sun) in '" + text + "'");
    }

    private static LocalTime time(String value, String text) {
        try {
            return value.equals("24:00") ? LocalTime.MIDNIGHT : LocalTime.parse(value.length() == 4 ? "0" + value : value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("schedule: '" + value + "' is not a time like 08:00 in '" + text + "'");
        }
    }
}
