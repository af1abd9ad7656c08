"""The monthly report (月度报告): a month's headline figures, attendance over the twelve months
to it per kind of event, the month's fill rate per kind, members by activity per tier and the
year's satisfaction by quarter, as a console page with charts and as an .xlsx and a PDF a
coordinator can forward.

It asks checkin.measures and checkin.surveys their own questions (the same statements as the
Measures page and the API); what it adds is the layout, the words and the charts, drawn server
side by reportlab, so the page's SVG and the PDF's drawings are the same charts.
"""
