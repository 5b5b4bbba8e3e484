namespace LightsOn.Gateway.Broker;

/// <summary>Subscription filters with <c>+</c> and <c>#</c> wildcards (MQTT 5.0, 4.7).</summary>
internal static class TopicFilter
{
    /// <summary>True for a well-formed filter: <c>#</c> only as the whole last level, <c>+</c> only as a whole level [MQTT-4.7.1-1, -2].</summary>
    public static bool IsValid(string filter)
    {
        if (filter.Length == 0)
        {
            return false;
        }
        int levelStart = 0;
        for (int i = 0; i <= filter.Length; i++)
        {
            if (i < filter.Length && filter[i] != '/')
            {
                continue;
            }
            var level = filter.AsSpan(levelStart, i - levelStart);
            if (level.Contains('#') && (level.Length != 1 || i != filter.Length))
            {
                return false;
            }
            if (level.Contains('+') && level.Length != 1)
            {
                return false;
            }
            levelStart = i + 1;
        }
        return true;
    }

    /// <summary>
    /// Whether <paramref name="topic"/> matches <paramref name="filter"/>. A topic whose first level
    /// starts with <c>$</c> is not matched by a filter starting with a wildcard [MQTT-4.7.2-1].
    /// </summary>
    public static bool Matches(string filter, string topic)
    {
        if (topic.Length > 0 && topic[0] == '$' && filter.Length > 0 && filter[0] is '+' or '#')
        {
            return false;
        }
        int f = 0;
        int t = 0;
        while (true)
        {
            if (f == filter.Length)
            {
                return t == topic.Length;
            }
            if (filter[f] == '#')
            {
                return true;
            }
            int filterEnd = filter.IndexOf('/', f);
            if (filterEnd < 0)
            {
                filterEnd = filter.Length;
            }
            int topicEnd = topic.IndexOf('/', t);
            if (topicEnd < 0)
            {
                topicEnd = topic.Length;
            }
            bool levelMatches = filterEnd - f == 1 && filter[f] == '+'
                || filter.AsSpan(f, filterEnd - f).SequenceEqual(topic.AsSpan(t, topicEnd - t));
            if (!levelMatches)
            {
                return false;
            }
            if (filterEnd == filter.Length)
            {
                return topicEnd == topic.Length;
            }
            if (topicEnd == topic.Length)
            {
                // The topic has no more levels: only a trailing "/#" still matches, as "a/#" matches "a" [MQTT-4.7.1-2].
                return filter.AsSpan(filterEnd) is "/#";
            }
            f = filterEnd + 1;
            t = topicEnd + 1;
        }
    }
}
