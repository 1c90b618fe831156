/// A state of charge the device must have at the end of one slot.
public struct SOCTarget: Sendable, Hashable {
    /// The slot at whose end the target holds: a target at time T belongs to the slot that ends at T.
    public var slot: Int
    /// The state of charge, MWh.
    public var soc: Double

    /// A target of `soc` MWh at the end of slot `slot`.
    public init(slot: Int, soc: Double) {
        self.slot = slot
        self.soc = soc
    }
}
