/// Plans storage devices against prices: the cheapest schedule that meets every limit and target.
public enum Scheduler {
    /// Solves `problem` with GLPK's simplex, in process; safe to call from many tasks at once. When a device
    /// with losses would charge and discharge in the same slot, GLPK's branch and bound rules that out,
    /// within `problem.mixedIntegerTimeLimit`; `Schedule.solution` says how the plan was found.
    ///
    /// - Throws: `SchedulingError` of kind `.invalidInput` naming the malformed field, `.infeasible` naming
    ///   what cannot be met, or `.solverFailure` when GLPK gives up. Never an all-zero plan instead.
    public static func schedule(_ problem: SchedulingProblem) throws(SchedulingError) -> Schedule {
        try problem.validate()
        try problem.checkFeasibility()
        return try LinearProgram(problem: problem).solve()
    }
}
