"""Fashion-week shows: invitation-only events a coordinator fills by personal invitation.

Why here, in `events/`, and not in `travel/`: a show is an event the club admits to by a
personal invitation instead of an RSVP. Nothing in it depends on a trip (a member in Shanghai
can be invited to a Paris show without travelling with the club), and once a member accepts,
the seat is an ordinary confirmed RSVP of the show's event (`booked_through="shows"`), so
tickets, the door scan, reminders and the calendar work unchanged.

Each invitation is personal and not transferable: only the invited member can accept or
decline it (anyone else gets 404; a coordinator cannot accept for them). It has a seat
category, a reply-by date and a plus-one only where the club allows it. Invitations within a
category's free seats are offered at once in tier priority; the rest wait queued in that
order, and a declined, expired or withdrawn offer hands its seats to the next in line.
"""
