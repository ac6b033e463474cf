package com.lockkeeper.audit;

/** Who did something: a device or a device token, a person, an admin at the command line, or the server itself. */
public record Actor(String kind, String name) {

    public Actor {
        if (kind == null || kind.isBlank() || name == null || name.isBlank()) {
            throw new IllegalArgumentException("an actor needs a kind and a name");
        }
    }

    public static Actor device(String tokenName) {
        return new Actor("device-token", tokenName);
    }

    /** A device that enrolled with a credential of its own: its computer and device number. */
    public static Actor enrolledDevice(String computer, long deviceId) {
        return new Actor("device", computer + " (device " + deviceId + ")");
    }

    public static Actor user(String username) {
        return new Actor("user", username);
    }

    public static Actor commandLine(String osUser, String nodeName) {
        return new Actor("cli", osUser + "@" + nodeName);
    }

    public static Actor system(String nodeName) {
        return new Actor("system", nodeName);
    }

    @Override
    public String toString() {
        return kind + ":" + name;
    }
}
