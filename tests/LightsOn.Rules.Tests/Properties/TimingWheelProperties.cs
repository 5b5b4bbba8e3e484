using CsCheck;

namespace LightsOn.Rules.Tests.Properties;

/// <summary>
/// The timing wheel against the simplest model that could be right: a dictionary from id to
/// deadline. Random sequences of schedule, schedule-if-earlier, cancel and collect, with time
/// moving on by nothing, by a tick, by a slot, by about a turn of the wheel and by several turns.
/// </summary>
public sealed class TimingWheelProperties
{
    private const int Ids = 8;

    private enum OpKind
    {
        Schedule,
        ScheduleIfEarlier,
        Cancel,
        Collect,
    }

    /// <param name="Delta">For a deadline: its distance from now, or <see cref="long.MaxValue"/> for "none". For a collect: how far time moves.</param>
    private readonly record struct Op(OpKind Kind, int Id, long Delta);

    private readonly record struct Shape(int SlotShift, int BucketBits)
    {
        public long Slot => 1L << SlotShift;
        public long Turn => 1L << (SlotShift + BucketBits);
    }

    [Fact]
    public void CollectDue_returns_exactly_the_ids_due_by_now_once_each_and_unschedules_them()
    {
        // Small wheels wrap round all the time; the engine's own (~105 ms slots, a turn in ~1.9 h)
        // is rarer only because a jump past a turn walks all of its 65,536 buckets.
        var shapes = Gen.Frequency(
            (1, Gen.Const(new Shape(20, 16))),
            (4, Gen.Select(Gen.Int[0, 5], Gen.Int[0, 4], (shift, bits) => new Shape(shift, bits))));
        var cases =
            from shape in shapes
            from start in Gen.OneOf(Gen.Long[0, 1000], Gen.Long[0, DateTime.MaxValue.Ticks])
            from ops in OpGen(shape).Array[1, 80]
            select (shape, start, ops);

        cases.Sample(c => RunAgainstModel(c.shape, c.start, c.ops), iter: 3000,
            print: c => $"shape {c.shape}, start {c.start}, ops [{string.Join(", ", c.ops)}]");
    }

    private static Gen<Op> OpGen(Shape shape)
    {
        long slot = shape.Slot, turn = shape.Turn;
        var deadline = Gen.OneOf(
            Gen.Long[-2 * slot, 2 * slot],
            Gen.Long[0, 3 * turn],
            Gen.Long[turn - 2 * slot, turn + 2 * slot],
            Gen.Const(long.MaxValue));
        var step = Gen.OneOf(
            Gen.Const(0L),
            Gen.Const(1L),
            Gen.Long[0, 2 * slot],
            Gen.Long[0, turn],
            Gen.Long[turn - slot, turn + slot],
            Gen.Long[turn, 5 * turn]);
        var id = Gen.Int[0, Ids - 1];
        return Gen.Frequency(
            (4, Gen.Select(id, deadline, (i, d) => new Op(OpKind.Schedule, i, d))),
            (3, Gen.Select(id, deadline, (i, d) => new Op(OpKind.ScheduleIfEarlier, i, d))),
            (1, id.Select(i => new Op(OpKind.Cancel, i, 0))),
            (4, step.Select(s => new Op(OpKind.Collect, 0, s))));
    }

    private static void RunAgainstModel(Shape shape, long start, Op[] ops)
    {
        var wheel = new TimingWheel(Ids, start, shape.SlotShift, shape.BucketBits);
        var model = new Dictionary<int, long>();
        var collected = new List<int>();
        long now = start;
        foreach (var op in ops)
        {
            long due = op.Delta == long.MaxValue ? long.MaxValue : now + op.Delta;
            switch (op.Kind)
            {
                case OpKind.Schedule:
                    wheel.Schedule(op.Id, due);
                    if (due == long.MaxValue)
                    {
                        model.Remove(op.Id);
                    }
                    else
                    {
                        model[op.Id] = due;
                    }
                    break;
                case OpKind.ScheduleIfEarlier:
                    wheel.ScheduleIfEarlier(op.Id, due);
                    if (due != long.MaxValue && (!model.TryGetValue(op.Id, out long was) || due < was))
                    {
                        model[op.Id] = due;
                    }
                    break;
                case OpKind.Cancel:
                    wheel.Cancel(op.Id);
                    model.Remove(op.Id);
                    break;
                case OpKind.Collect:
                    now += op.Delta;
                    collected.Clear();
                    wheel.CollectDue(now, collected);
                    var expected = model.Where(e => e.Value <= now).Select(e => e.Key).Order().ToList();
                    Assert.Equal(expected, collected.Order().ToList());
                    foreach (int id in expected)
                    {
                        model.Remove(id);
                    }
                    break;
            }
            Assert.Equal(model.Count, wheel.Count);
            for (int id = 0; id < Ids; id++)
            {
                Assert.Equal(model.TryGetValue(id, out long d) ? d : long.MaxValue, wheel.DueOf(id));
                Assert.Equal(model.ContainsKey(id), wheel.IsScheduled(id));
            }
        }
    }
}
