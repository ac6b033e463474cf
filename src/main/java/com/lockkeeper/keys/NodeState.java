package com.lockkeeper.keys;

/** Whether this node can decrypt, and if not, the reason and the command that fixes it. */
public record NodeState(String nodeName, boolean open, String reason) {

    static NodeState open(String nodeName) {
        return new NodeState(nodeName, true, "open: the DMK opens through this node's registration");
    }

    static NodeState sealed(String nodeName, String reason) {
        return new NodeState(nodeName, false, reason);
    }

    public String label() {
        return open ? "open" : "sealed";
    }
}
