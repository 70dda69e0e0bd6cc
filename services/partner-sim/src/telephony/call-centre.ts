import type { CallbackRequested } from "@symbiont/processes/events";

// The telephony partner's call centre (MISSION T1), as state: calls answered by an IVR whose
// menu key picks a queue (the key is recorded on the call), queues served by their managers
// (a manager on a call is busy; a waiting call goes to the first free manager of its queue,
// in the order the queue lists them), and callback requests: from the IVR (`*` after the
// queue's key, or while waiting) or made directly (a "call me back" form), each carrying the
// queue's managers as busy or free now.

export interface QueueSpec {
  name: string;
  /** The IVR key that picks it. */
  key: string;
  managers: string[];
}

export type CallState = "menu" | "queued" | "connected" | "callback" | "ended";

export interface Call {
  id: string;
  from: string;
  state: CallState;
  /** The key pressed in the IVR menu. */
  ivrChoice?: string;
  queue?: string;
  managerId?: string;
  arrivedAt: string;
  endedAt?: string;
}

export interface AgentLoad {
  managerId: string;
  status: "free" | "busy";
  callId?: string;
  /** Calls this manager took. */
  calls: number;
}

/** The IVR key that turns a wait into a callback request. */
export const callbackKey = "*";

export class CallCentreError extends Error {
  constructor(
    readonly reason: "UnknownCall" | "UnknownQueue" | "InvalidKey" | "NotInIvr",
    message: string,
  ) {
    super(message);
  }
}

export class CallCentre {
  readonly #calls = new Map<string, Call>();
  readonly #taken = new Map<string, number>();

  constructor(
    readonly queues: readonly QueueSpec[],
    private readonly clock: { now(): Date; newId(): string },
  ) {}

  /** A call rings: the IVR answers with its menu. */
  arrive(from: string): Call {
    const call: Call = {
      id: `call-${this.clock.newId()}`,
      from,
      state: "menu",
      arrivedAt: this.clock.now().toISOString(),
    };
    this.#calls.set(call.id, call);
    return { ...call };
  }

  /**
   * The caller presses keys: in the menu a queue's key (recorded), then `*` for a callback
   * instead of waiting; a waiting caller may press `*` too. A call left waiting goes to a free
   * manager of its queue.
   */
  press(callId: string, digits: string): { call: Call; callback?: CallbackRequested } {
    const call = this.#find(callId);
    let callback: CallbackRequested | undefined;
    for (const digit of digits) {
      if (call.state === "menu") {
        const queue = this.queues.find((q) => q.key === digit);
        if (!queue)
          throw new CallCentreError(
            "InvalidKey",
            `key ${digit} is not in the menu (${this.queues.map((q) => `${q.key}: ${q.name}`).join(", ")})`,
          );
        Object.assign(call, { ivrChoice: digit, queue: queue.name, state: "queued" });
      } else if (call.state === "queued" && digit === callbackKey) {
        call.state = "callback";
        call.endedAt = this.clock.now().toISOString();
        callback = this.#request(call.from, call.queue!, call.ivrChoice);
      } else if (call.state === "queued") {
        throw new CallCentreError("InvalidKey", `waiting in ${call.queue}: only ${callbackKey}`);
      } else {
        throw new CallCentreError("NotInIvr", `call ${call.id} is ${call.state}`);
      }
    }
    this.#dispatch();
    return { call: { ...call }, ...(callback ? { callback } : {}) };
  }

  /** The call ends; its manager is free for the next waiting call. */
  hangUp(callId: string): Call {
    const call = this.#find(callId);
    if (call.state !== "callback" && call.state !== "ended") {
      call.state = "ended";
      call.endedAt = this.clock.now().toISOString();
    }
    this.#dispatch();
    return { ...call };
  }

  /** A callback asked for without a call (a "call me back" form): its number and queue. */
  requestCallback(phone: string, queueName: string): CallbackRequested {
    if (!this.queues.some((q) => q.name === queueName))
      throw new CallCentreError("UnknownQueue", `no queue ${queueName}`);
    return this.#request(phone, queueName);
  }

  calls(): Call[] {
    return [...this.#calls.values()].map((call) => ({ ...call }));
  }

  /** Who is busy or free, and who waits in each queue. */
  load(): { agents: AgentLoad[]; queues: Array<QueueSpec & { waiting: string[] }> } {
    const managers = [...new Set(this.queues.flatMap((q) => q.managers))];
    return {
      agents: managers.map((managerId) => this.#agent(managerId)),
      queues: this.queues.map((q) => ({ ...q, waiting: this.#waiting(q.name).map((c) => c.id) })),
    };
  }

  #request(phone: string, queueName: string, ivrChoice?: string): CallbackRequested {
    const queue = this.queues.find((q) => q.name === queueName)!;
    return {
      requestId: `cb-${this.clock.newId()}`,
      phone,
      queue: queue.name,
      ...(ivrChoice ? { ivrChoice } : {}),
      requestedAt: this.clock.now().toISOString(),
      agents: queue.managers.map((managerId) => {
        const { status } = this.#agent(managerId);
        return { managerId, status };
      }),
    };
  }

  #agent(managerId: string): AgentLoad {
    const on = [...this.#calls.values()].find(
      (c) => c.state === "connected" && c.managerId === managerId,
    );
    return {
      managerId,
      status: on ? "busy" : "free",
      ...(on ? { callId: on.id } : {}),
      calls: this.#taken.get(managerId) ?? 0,
    };
  }

  #waiting(queueName: string): Call[] {
    return [...this.#calls.values()].filter((c) => c.state === "queued" && c.queue === queueName);
  }

  /** Every waiting call that has a free manager in its queue gets the first of them. */
  #dispatch(): void {
    for (const queue of this.queues)
      for (const call of this.#waiting(queue.name)) {
        const managerId = queue.managers.find((m) => this.#agent(m).status === "free");
        if (!managerId) break;
        Object.assign(call, { state: "connected", managerId });
        this.#taken.set(managerId, (this.#taken.get(managerId) ?? 0) + 1);
      }
  }

  #find(callId: string): Call {
    const call = this.#calls.get(callId);
    if (!call) throw new CallCentreError("UnknownCall", `no call ${callId}`);
    return call;
  }
}
